from vawg_cli.cli import main

main()

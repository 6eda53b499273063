from vawg_cli.cli.commands import main

main()

from gtkg.cli import main

main()

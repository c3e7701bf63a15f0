// RelinkCLI

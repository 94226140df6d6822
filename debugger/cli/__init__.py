"""The avm-debug command line: one module per group of subcommands."""

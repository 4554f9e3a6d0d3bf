"""The subcommands of `xacct` that drive the engine, one module each."""

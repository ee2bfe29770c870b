"""The subcommands of ``lanying``, one module each (grouped as the SDK's services are)."""

"""`python -m debugger.cli`."""

from debugger.cli.main import main

raise SystemExit(main())

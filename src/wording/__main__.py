from wording.cli import main

raise SystemExit(main())

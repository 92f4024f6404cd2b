#!/usr/bin/env python
"""Same as the installed ``hifazat`` command, for those used to ``python manage.py``."""

from config.manage import main

if __name__ == "__main__":
    main()

"""``python -m rekam`` and the ``rekam`` command."""

from rekam.cli import main

if __name__ == "__main__":
    main()

"""``python -m tremplin.simulators.validate [content/simulators/fr]``: check simulator files without Django."""

import sys
from pathlib import Path

from .files import read_simulators


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "content" / "simulators" / "fr"
    loaded, errors = read_simulators(root)
    for error in errors:
        print(error)
    print(f"{len(loaded)} simulateurs valides ; {len(errors)} erreur(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

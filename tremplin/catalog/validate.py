"""``python -m tremplin.catalog.validate [content/fr]``: check the curriculum without Django."""

import sys
from pathlib import Path

from .content_files import read_curriculum


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "content" / "fr"
    curriculum = read_curriculum(root)
    for error in curriculum.errors:
        print(error)
    counts = ", ".join(f"{t.data.slug}: {len(t.modules)}" for t in curriculum.tracks)
    print(f"{len(curriculum.modules)} modules ({counts}); {len(curriculum.errors)} erreur(s)")
    return 1 if curriculum.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

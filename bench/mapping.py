"""How many of the columns carrying contact data in common export files (tests/imports/files/exports) map to the
right field by themselves: per file and overall. Run: CRM_TESTING=1 .venv/bin/python bench/mapping.py"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from tests.imports.export_files import measure  # noqa: E402


def main() -> None:
    user = get_user_model()(username="bench", is_superuser=True, is_active=True)
    total_right = total = 0
    for name, (right, data, wrong) in measure(user).items():
        total_right, total = total_right + right, total + data
        print(f"{name:20} {right:3}/{data:3}  {right / data:.0%}")
        for problem in wrong:
            print(f"    {problem}")
    print(f"{'overall':20} {total_right:3}/{total:3}  {total_right / total:.0%}")


if __name__ == "__main__":
    main()

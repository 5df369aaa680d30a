"""scripts/services/postgres.sh never falls back to a guessable password nor prints it."""
import re
from pathlib import Path

SCRIPT = (Path(__file__).resolve().parents[1] / "scripts/services/postgres.sh").read_text()


def test_no_default_password():
    assert not re.search(r"PG_PASSWORD=\$\{DATELINE_PG_PASSWORD:-dateline\}", SCRIPT)
    assert "secrets.token_hex" in SCRIPT


def test_ready_line_masks_the_password():
    ready = [line for line in SCRIPT.splitlines() if line.startswith('log "ready')]
    assert ready and "$PG_PASSWORD" not in ready[0] and "$URL" not in ready[0]

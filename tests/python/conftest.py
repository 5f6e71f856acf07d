import sys
from pathlib import Path

# The ctypes wrapper lives with the examples; tests import it from there.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples" / "python"))

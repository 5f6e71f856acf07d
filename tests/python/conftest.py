import sys
from pathlib import Path

# The dstoken package's source (bindings/python); ctest sets DSTOKEN_LIBRARY to the built
# library. The installed wheel is tested separately (scripts/test-python.sh).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bindings" / "python"))

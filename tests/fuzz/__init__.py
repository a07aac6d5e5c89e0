"""Property-based bad-input tests of every form and import (issue 18, CTL-8)."""

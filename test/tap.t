# SPDX-License-Identifier: MIT
# Run by `prove --exec sh`: the suite's TAP output is the test stream.
exec "$KCONFORM_BIN" --format=tap

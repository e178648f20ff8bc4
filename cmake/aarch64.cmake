# SPDX-License-Identifier: MIT
# Cross toolchain for kconform-aarch64 (Debian's g++-aarch64-linux-gnu). Only the
# freestanding target binaries are built with it: configure with
#   cmake -B build/cross-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64.cmake -DKC_HOST_TOOLS=OFF
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_ASM_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_READELF aarch64-linux-gnu-readelf)
set(CMAKE_STRIP aarch64-linux-gnu-strip)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(KC_CROSS_PREFIX aarch64-linux-gnu-)

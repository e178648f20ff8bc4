# SPDX-License-Identifier: MIT
# Cross toolchain for kconform-riscv64 (Debian's g++-riscv64-linux-gnu). Only the
# freestanding target binaries are built with it: configure with
#   cmake -B build/cross-riscv64 -DCMAKE_TOOLCHAIN_FILE=cmake/riscv64.cmake -DKC_HOST_TOOLS=OFF
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(CMAKE_CXX_COMPILER riscv64-linux-gnu-g++)
set(CMAKE_ASM_COMPILER riscv64-linux-gnu-gcc)
set(CMAKE_READELF riscv64-linux-gnu-readelf)
set(CMAKE_STRIP riscv64-linux-gnu-strip)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(KC_CROSS_PREFIX riscv64-linux-gnu-)

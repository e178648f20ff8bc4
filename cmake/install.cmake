# SPDX-License-Identifier: MIT
# What `cmake --install` puts under a prefix, and how CPack packs it (./kc dist):
#   bin/kconform-<arch>        the suite for each built architecture (stripped:
#                              what a user copies to a target), and bin/kconform,
#                              a link to the one for this machine's architecture
#   bin/kconform-run, ...      the host tools
#   share/kconform/expect/     each target's known divergences
#   share/kconform/lava/       the LAVA test definition and its result parser
#   share/doc/kconform/        README, LICENSE and docs/*.md
#   share/man/man1/kconform.1
# Included by the top-level CMakeLists.txt after the targets exist.
include(GNUInstallDirs)

# The stripped copy is made by a POST_BUILD step of kconform-<arch>.
install(PROGRAMS ${CMAKE_BINARY_DIR}/kconform-${KC_ARCH}.stripped
        DESTINATION ${CMAKE_INSTALL_BINDIR} RENAME kconform-${KC_ARCH})
install(CODE "set(link \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/kconform\")
  message(STATUS \"Installing: \${link} -> kconform-${KC_ARCH}\")
  file(CREATE_LINK kconform-${KC_ARCH} \"\${link}\" SYMBOLIC)
  list(APPEND CMAKE_INSTALL_MANIFEST_FILES \"\${link}\")")
# The other architectures' binaries come from the sub-builds in cross-<arch>/
# (an ExternalProject each, see CMakeLists.txt), which are built but never
# installed on their own.
foreach(arch aarch64 riscv64)
  if(TARGET cross-${arch})
    install(PROGRAMS ${CMAKE_BINARY_DIR}/cross-${arch}/kconform-${arch}.stripped
            DESTINATION ${CMAKE_INSTALL_BINDIR} RENAME kconform-${arch})
  endif()
endforeach()

if(KC_HOST_TOOLS)
  # kconform-nofork and strpack serve the build and the project's tests only.
  set(KC_INSTALLED_TOOLS kconform-run kconform-compare kconform-initramfs)
  if(TARGET kconform-inject)
    list(APPEND KC_INSTALLED_TOOLS kconform-inject)
  endif()
  install(TARGETS ${KC_INSTALLED_TOOLS} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

install(DIRECTORY ${CMAKE_SOURCE_DIR}/expect/ DESTINATION ${CMAKE_INSTALL_DATADIR}/kconform/expect
        FILES_MATCHING PATTERN "*.txt")
install(FILES ${CMAKE_SOURCE_DIR}/lava/kconform.yaml ${CMAKE_SOURCE_DIR}/lava/README.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/kconform/lava)
install(PROGRAMS ${CMAKE_SOURCE_DIR}/lava/kconform-lava.sh
        DESTINATION ${CMAKE_INSTALL_DATADIR}/kconform/lava)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/LICENSE
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
        FILES_MATCHING PATTERN "*.md")
install(FILES ${CMAKE_SOURCE_DIR}/docs/kconform.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# Release archives: `cpack` in the build directory (./kc dist runs it) makes
# a .tar.gz of the tree above and a Debian package installing it under /usr.
set(CPACK_PACKAGE_NAME kconform)
set(CPACK_PACKAGE_VENDOR "the kconform authors")
set(CPACK_PACKAGE_CONTACT "the kconform authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "conformance suite for kernels that promise the Linux system-call ABI or POSIX")
# The Debian description is the summary, then this.
set(CPACK_PACKAGE_DESCRIPTION
    "One static, freestanding binary per architecture (no libc, no heap)
that checks the semantics, errnos and boundaries of Linux system calls,
each tagged with the IEEE 1003.13 profile that requires the behaviour.
Linux is the oracle: run the same binary on another kernel, an emulator
or a sandbox, and compare. With the host tools that run it on targets
and compare runs, the known divergences of each target, and a LAVA test
definition.")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR TGZ DEB)
set(CPACK_PACKAGE_FILE_NAME kconform-${PROJECT_VERSION}-linux-${KC_ARCH})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# The host tools need the C++ runtime; dpkg-shlibdeps names it (the suite
# binaries are static and have no dependencies).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
include(CPack)

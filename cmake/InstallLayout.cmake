# cmake/InstallLayout.cmake — the install layout (GNUInstallDirs) and components every folder's install() rules join.
#
#   bin/mvc                          component mvc
#   lib/multiverse/libmv_runtime*.a  component native   (what `mvc build` links; found relative to bin/mvc)
#   lib/libmultiverse.so, include/multiverse/, lib/pkgconfig/, lib/cmake/MultiVerse/
#                                    component multiverse (the C API, capi/CMakeLists.txt)
#   share/doc/multiverse/            component doc
#   lib/python3/dist-packages/multiverse/
#                                    component python   (the Python module, python/CMakeLists.txt)
# Paths are relative to the prefix so `cmake --install BUILD --prefix P` and CPack can relocate them.
include(GNUInstallDirs)

set(MV_INSTALL_RUNTIMEDIR ${CMAKE_INSTALL_LIBDIR}/multiverse)
set(MV_INSTALL_PKGCONFIGDIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
set(MV_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/MultiVerse)
set(MV_INSTALL_DOCDIR ${CMAKE_INSTALL_DATADIR}/doc/multiverse)
# Where Debian's python3 finds modules under /usr (the .deb); under another prefix P users set
# PYTHONPATH=P/lib/python3/dist-packages (docs/python.md).
set(MV_INSTALL_PYTHONDIR lib/python3/dist-packages CACHE STRING "where the multiverse Python module is installed")

# Installed executables find the project's shared libraries relative to themselves. The system
# libraries (Debian's libllvm16 ships libLLVM-16.so.1 in the multiarch directory) are found by the
# loader: with a RUNPATH into /usr/lib/llvm-16/lib (whose libLLVM-16.so.1 is llvm-16-dev's
# symlink) dpkg-shlibdeps left libllvm16 out of the .deb's Depends in some runs.
file(RELATIVE_PATH MV_BIN_TO_LIB /${CMAKE_INSTALL_BINDIR} /${CMAKE_INSTALL_LIBDIR})
set(CMAKE_INSTALL_RPATH "$ORIGIN/${MV_BIN_TO_LIB}")

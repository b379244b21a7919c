# cmake/Packaging.cmake — CPack: a Debian package `multiverse` of everything installed (`cpack -G DEB`).
set(CPACK_PACKAGE_NAME multiverse)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "MultiVerse")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "compiled probabilistic programming language for causal reasoning")
set(CPACK_PACKAGE_DESCRIPTION
    "MultiVerse compiles causal models with observations, interventions and counterfactual queries to native code (LLVM) and answers them by importance sampling or exact enumeration. The package holds the mvc compiler and the static runtime that `mvc build` links native sampler executables against.")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(MV_PACKAGE_MAINTAINER "MultiVerse developers <multiverse@localhost>" CACHE STRING
    "the Maintainer field of the .deb")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${MV_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# The shared libraries of the installed ELF files (LLVM, oneTBB, Boehm GC, libedit, the C++
# runtime) become Depends through dpkg-shlibdeps; `mvc build` also runs the C++ driver (c++)
# and links -ltbb -lgc, which needs their development symlinks.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "g++, libtbb-dev, libgc-dev")
# The Python module (lib/python3/dist-packages/multiverse) runs on the python3 minor version it
# was built for and makes numpy arrays.
if(TARGET _multiverse)
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", python3 (>= ${MV_PYTHON_VERSION}), python3 (<< ${MV_PYTHON_VERSION_NEXT}), python3-numpy")
endif()
# The MPI plugin (libmv_mpi.so, loaded only under an MPI launcher) links libmpi, so
# dpkg-shlibdeps makes libopenmpi3 a Depends; the launcher itself (mpirun) is recommended.
if(TARGET mv_mpi)
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "openmpi-bin")
endif()
include(CPack)

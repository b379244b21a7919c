# cmake/Install.cmake — install rules for mvc, the runtime archives `mvc build` links, and the examples.
install(TARGETS mvc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT mvc)
install(TARGETS mv_runtime mv_runtime_main ARCHIVE DESTINATION ${MV_INSTALL_RUNTIMEDIR} COMPONENT native)
if(MV_HAVE_MPI)  # dlopen'ed under an MPI launcher by mvc and by native samplers (docs/parallel.md)
  install(TARGETS mv_mpi LIBRARY DESTINATION ${MV_INSTALL_RUNTIMEDIR} COMPONENT native)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${MV_INSTALL_DOCDIR} COMPONENT doc)
file(GLOB MV_INSTALL_EXAMPLES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/examples/*.mv)
install(FILES ${MV_INSTALL_EXAMPLES} ${PROJECT_SOURCE_DIR}/examples/README.md
        DESTINATION ${MV_INSTALL_DOCDIR}/examples COMPONENT doc)

# Installing and packaging, included by the top-level CMakeLists.txt.  Each part installs
# its programs; this file adds the rest of the layout and the Debian package:
#   bin/                         warsearch-index, -search, -catalog, -nightly, nightly-reindex
#   lib/cgi-bin/warsearch.cgi    (searcher/CMakeLists.txt; where Debian's Apache looks)
#   share/warsearch/catalogs/    found by the programs relative to their own bin/
#   share/man/man1/*.1           generated from each program's --help by help2man
#   share/doc/warsearch/         README.md, the parts' READMEs, examples/ (nightly.toml,
#                                crontab, systemd units with this prefix's paths)
# `cpack -G DEB` (in the build tree) builds warsearch_VERSION_ARCH.deb: dependencies from
# dpkg-shlibdeps plus iso-codes, and a postinst that creates the `warsearch` system user
# and /var/lib/warsearch.  Configure with -DCMAKE_INSTALL_PREFIX=/usr for a .deb.

# ---- man pages: help2man runs each program's --help (the same text as the program's).
find_program(HELP2MAN_PROGRAM help2man)
set(warsearch_man_pages)
if(HELP2MAN_PROGRAM)
  foreach(entry
          "warsearch-index|index news articles into a warsearch (Xapian) database"
          "warsearch-search|search a warsearch index from the command line"
          "warsearch-catalog|inspect, check and import warsearch place and faction catalogs"
          "warsearch-nightly|reindex warsearch source folders unattended, with reports and alerts")
    string(REPLACE "|" ";" parts "${entry}")
    list(GET parts 0 program)
    list(GET parts 1 summary)
    set(page ${PROJECT_BINARY_DIR}/man/${program}.1)
    add_custom_command(OUTPUT ${page}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
      COMMAND ${HELP2MAN_PROGRAM} --no-info --no-discard-stderr --version-string=${PROJECT_VERSION}
              --name=${summary} --section=1 --output=${page} $<TARGET_FILE:${program}>
      DEPENDS ${program}
      COMMENT "Generating man page ${program}.1"
      VERBATIM)
    list(APPEND warsearch_man_pages ${page})
  endforeach()
  add_custom_target(warsearch-man-pages ALL DEPENDS ${warsearch_man_pages})
  install(FILES ${warsearch_man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found: no man pages (scripts/setup installs it)")
endif()

# ---- documentation and examples, with this prefix's paths.
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/searcher/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}
        RENAME searcher-README.md)
set(examples ${PROJECT_BINARY_DIR}/doc-examples)
file(READ ${PROJECT_SOURCE_DIR}/scripts/nightly.example.toml text)
string(REPLACE "/tmp/warsearch-nightly-example" "/var/lib/warsearch" text "${text}")
file(WRITE ${examples}/nightly.toml "${text}")
foreach(unit warsearch-nightly.service warsearch-nightly.timer)
  file(READ ${PROJECT_SOURCE_DIR}/scripts/systemd/${unit} text)
  string(REPLACE "/usr/local/bin" "${CMAKE_INSTALL_FULL_BINDIR}" text "${text}")
  string(REPLACE "/usr/local/share/doc/warsearch" "${CMAKE_INSTALL_FULL_DOCDIR}" text "${text}")
  file(WRITE ${examples}/systemd/${unit} "${text}")
endforeach()
file(WRITE ${examples}/crontab
"# warsearch nightly reindexing for cron: `crontab -u warsearch crontab` (the user owning
# the database).  cron mails any output; --quiet prints only on trouble.
MAILTO=root
# m  h  dom mon dow  command
30   2  *   *   *    ${CMAKE_INSTALL_FULL_BINDIR}/nightly-reindex --config /etc/warsearch/nightly.toml --quiet
# Sundays: also compact (exits 5 when the nightly run is still going)
45   3  *   *   0    ${CMAKE_INSTALL_FULL_BINDIR}/nightly-reindex --config /etc/warsearch/nightly.toml --quiet --compact
")
install(FILES ${examples}/nightly.toml ${examples}/crontab DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(DIRECTORY ${examples}/systemd DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

# ---- the Debian package.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME warsearch)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "warsearch maintainers <search-admin@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "full-text search for war reporting (Xapian)")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # libxapian30, libicu, libgumbo1, libfcgi0ldbl, ...
set(CPACK_DEBIAN_PACKAGE_DEPENDS "iso-codes, adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "xapian-tools, apache2 | nginx | lighttpd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/scripts/debian/postinst)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)

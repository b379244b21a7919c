#!/bin/sh
# capi/install_test.sh — installs the multiverse component into a temporary prefix and builds the C example
# against it twice (pkg-config, and a CMake project using find_package(MultiVerse)), then runs both.
# usage: install_test.sh BUILD_DIR LIBDIR SOURCE_DIR CMAKE CC
set -eu
build=$1 libdir=$2 src=$3 cmake=$4 cc=$5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cmake" --install "$build" --prefix "$tmp/prefix" --component multiverse >/dev/null
# pkg-config: the .pc file finds its prefix from where it is installed.
flags=$(PKG_CONFIG_PATH="$tmp/prefix/$libdir/pkgconfig" pkg-config --cflags --libs multiverse)
"$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror "$src/examples/c/embed.c" $flags -o "$tmp/embed"
LD_LIBRARY_PATH="$tmp/prefix/$libdir" "$tmp/embed" "$src/examples/diagnosis.mv" posterior_d1 > "$tmp/out.txt"
grep -q "posterior_d1 exact d1 = 0.550072523161" "$tmp/out.txt"
# CMake: find_package(MultiVerse) gives the imported target MultiVerse::multiverse.
mkdir "$tmp/app"
cat > "$tmp/app/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.20)
project(embed_app C)
find_package(MultiVerse 0.1 REQUIRED CONFIG)
add_executable(embed embed.c)
target_link_libraries(embed PRIVATE MultiVerse::multiverse)
CMAKE
cp "$src/examples/c/embed.c" "$tmp/app/"
"$cmake" -S "$tmp/app" -B "$tmp/app/build" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_C_COMPILER="$cc" >/dev/null
"$cmake" --build "$tmp/app/build" >/dev/null
"$tmp/app/build/embed" "$src/examples/diagnosis.mv" posterior_d1 | grep -q "posterior_d1 exact d1 = 0.550072523161"
echo "installed C API: pkg-config and find_package builds ran"

// Force-included into every translation unit of a -fsanitize=thread build
// (see CMakeLists.txt). Debian's libprotobuf 3.21 is built without TSan, but
// google/protobuf/map_field.h gives MapFieldBase two extra members
// (seq1_, seq2_) when __SANITIZE_THREAD__ is defined: code compiled with
// -fsanitize=thread then disagrees with the library about the layout of
// every map field and crashes on the first map insert. Reading that one
// header as the library was compiled keeps the ABI; the members only feed a
// GOOGLE_CHECK, not TSan's happens-before tracking.
#pragma once
#include <cstddef>  // bits/c++config.h first: keep _GLIBCXX_TSAN for libstdc++
#pragma push_macro("__SANITIZE_THREAD__")
#undef __SANITIZE_THREAD__
#include <google/protobuf/map_field.h>
#pragma pop_macro("__SANITIZE_THREAD__")

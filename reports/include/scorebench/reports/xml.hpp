#pragma once
// Escaping for XML and HTML text and attribute values.

#include <string>
#include <string_view>

namespace scorebench::reports {

// & < > " ' replaced by entities.
std::string xml_escape(std::string_view text);

}  // namespace scorebench::reports

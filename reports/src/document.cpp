#include "scorebench/reports/document.hpp"

#include <cctype>
#include <regex>
#include <set>
#include <sstream>

#include "scorebench/reports/xml.hpp"

namespace scorebench::reports {

namespace {

// Escaped HTML of text with `code` and **bold** marks.
std::string inline_html(const std::string& text) {
  std::string out;
  bool code = false, bold = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '`') {
      out += code ? "</code>" : "<code>";
      code = !code;
    } else if (!code && text.compare(i, 2, "**") == 0) {
      out += bold ? "</strong>" : "<strong>";
      bold = !bold;
      ++i;
    } else {
      out += xml_escape(std::string_view(&text[i], 1));
    }
  }
  if (code) out += "</code>";
  if (bold) out += "</strong>";
  return out;
}

// A Markdown table cell: pipes escaped, newlines flattened.
std::string md_cell(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '|')
      out += "\\|";
    else if (ch == '\n')
      out += ' ';
    else
      out += ch;
  }
  return out;
}

const char* kStyle = R"css(
:root { --ink: #1d2433; --muted: #5b6477; --line: #d8dde6; --accent: #1f5fbf; --bg: #f6f7fa; --warn: #8a5a00; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: var(--ink); background: var(--bg); }
header { background: #18223a; color: #fff; padding: 18px 32px 14px; }
header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
header nav a { color: #c9d6f2; margin-right: 14px; font-size: 13px; text-decoration: none; }
header nav a:hover { text-decoration: underline; }
main { max-width: 1320px; margin: 0 auto; padding: 8px 32px 48px; }
h2 { font-size: 19px; margin: 30px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 22px 0 6px; }
p { margin: 6px 0 10px; max-width: 980px; }
code { font: 13px/1.3 ui-monospace, "DejaVu Sans Mono", monospace; background: #e9ecf2; padding: 1px 4px; border-radius: 3px; }
.note { border-left: 4px solid #e0a526; background: #fff8e6; color: var(--warn); padding: 6px 12px; margin: 8px 0 12px; max-width: 980px; }
.table-wrap { overflow-x: auto; margin: 6px 0 14px; }
table { border-collapse: collapse; background: #fff; font-size: 13.5px; box-shadow: 0 1px 2px rgba(0,0,0,.06); }
th, td { border: 1px solid var(--line); padding: 4px 10px; white-space: nowrap; }
th { background: #eef1f6; text-align: left; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.wrap { white-space: normal; min-width: 16em; }
tbody tr:nth-child(even) td { background: #fafbfd; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 14px; margin: 8px 0 16px; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 12.5px; color: var(--muted); padding: 4px 4px 0; }
)css";

}  // namespace

void Document::heading(int level, std::string text) {
  Block b;
  b.kind = Block::Kind::heading;
  b.level = level;
  b.text = std::move(text);
  blocks_.push_back(std::move(b));
}

void Document::paragraph(std::string text) {
  Block b;
  b.kind = Block::Kind::paragraph;
  b.text = std::move(text);
  blocks_.push_back(std::move(b));
}

void Document::note(std::string text) {
  Block b;
  b.kind = Block::Kind::note;
  b.text = std::move(text);
  blocks_.push_back(std::move(b));
}

void Document::table(Table table) {
  Block b;
  b.kind = Block::Kind::table;
  b.table = std::move(table);
  blocks_.push_back(std::move(b));
}

void Document::figures(std::vector<Figure> figures) {
  if (figures.empty()) return;
  Block b;
  b.kind = Block::Kind::figures;
  b.figures = std::move(figures);
  blocks_.push_back(std::move(b));
}

void Document::append(const Document& other) {
  blocks_.insert(blocks_.end(), other.blocks_.begin(), other.blocks_.end());
}

std::string anchor(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const auto ch = static_cast<unsigned char>(c);  // <cctype> takes unsigned char values
    if (std::isalnum(ch))
      out += char(std::tolower(ch));
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string render_markdown(const Document& doc) {
  std::ostringstream md;
  md << "# " << doc.title() << "\n\n";
  for (const Block& b : doc.blocks()) {
    switch (b.kind) {
      case Block::Kind::heading:
        md << std::string(std::size_t(b.level), '#') << " " << b.text << "\n\n";
        break;
      case Block::Kind::paragraph: md << b.text << "\n\n"; break;
      case Block::Kind::note: md << "> **Note:** " << b.text << "\n\n"; break;
      case Block::Kind::table: {
        const Table& t = b.table;
        md << "|";
        for (const auto& h : t.header) md << " " << md_cell(h) << " |";
        md << "\n|";
        for (std::size_t c = 0; c < t.header.size(); ++c)
          md << (c < t.numeric.size() && t.numeric[c] ? "--:|" : "---|");
        md << "\n";
        for (const auto& row : t.rows) {
          md << "|";
          for (const auto& cell : row) md << " " << md_cell(cell) << " |";
          md << "\n";
        }
        md << "\n";
        break;
      }
      case Block::Kind::figures:
        for (const Figure& f : b.figures)
          md << "![" << md_cell(f.caption) << "](" << f.file << ")\n\n*" << f.caption << "*\n\n";
        break;
    }
  }
  return md.str();
}

std::string render_html(const Document& doc) {
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<title>" << xml_escape(doc.title()) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n"
    << "<header><h1>" << xml_escape(doc.title()) << "</h1><nav>";
  for (const Block& b : doc.blocks())
    if (b.kind == Block::Kind::heading && b.level == 2)
      h << "<a href=\"#" << anchor(b.text) << "\">" << inline_html(b.text) << "</a>";
  h << "</nav></header>\n<main>\n";
  int figure_number = 0;
  for (const Block& b : doc.blocks()) {
    switch (b.kind) {
      case Block::Kind::heading:
        h << "<h" << b.level << " id=\"" << anchor(b.text) << "\">" << inline_html(b.text) << "</h" << b.level
          << ">\n";
        break;
      case Block::Kind::paragraph: h << "<p>" << inline_html(b.text) << "</p>\n"; break;
      case Block::Kind::note:
        h << "<p class=\"note\"><strong>Note:</strong> " << inline_html(b.text) << "</p>\n";
        break;
      case Block::Kind::table: {
        const Table& t = b.table;
        auto cls = [&](std::size_t c) {
          if (c < t.numeric.size() && t.numeric[c]) return " class=\"num\"";
          return c < t.wrap.size() && t.wrap[c] ? " class=\"wrap\"" : "";
        };
        h << "<div class=\"table-wrap\"><table>\n<thead><tr>";
        for (const auto& x : t.header) h << "<th>" << inline_html(x) << "</th>";
        h << "</tr></thead>\n<tbody>\n";
        for (const auto& row : t.rows) {
          h << "<tr>";
          for (std::size_t c = 0; c < row.size(); ++c)
            h << "<td" << cls(c) << ">" << inline_html(row[c]) << "</td>";
          h << "</tr>\n";
        }
        h << "</tbody></table></div>\n";
        break;
      }
      case Block::Kind::figures:
        h << "<div class=\"figures\">\n";
        for (const Figure& f : b.figures) {
          h << "<figure class=\"chart\" data-file=\"" << xml_escape(f.file) << "\">\n"
            << inline_svg(f.svg, "f" + std::to_string(++figure_number) + "-", f.caption) << "\n<figcaption>"
            << inline_html(f.caption) << "</figcaption></figure>\n";
        }
        h << "</div>\n";
        break;
    }
  }
  h << "</main>\n</body>\n</html>\n";
  return h.str();
}

std::string inline_svg(const std::string& svg, const std::string& prefix, const std::string& title) {
  std::string s = svg;
  const std::size_t start = s.find("<svg");
  if (start != std::string::npos) s.erase(0, start);
  std::set<std::string> ids;
  static const std::regex id_attr(R"re(\bid=(['"])([^'"]+)\1)re");
  for (auto it = std::sregex_iterator(s.begin(), s.end(), id_attr); it != std::sregex_iterator(); ++it)
    ids.insert((*it)[2].str());
  // id='x' → id='p-x'; href='#x' and url(#x) → the prefixed id.
  s = std::regex_replace(s, id_attr, "id=$1" + prefix + "$2$1");
  static const std::regex ref(R"re((href=['"]#|url\(#)([^'")]+))re");
  std::string out;
  auto last = s.cbegin();
  for (auto it = std::sregex_iterator(s.begin(), s.end(), ref); it != std::sregex_iterator(); ++it) {
    out.append(last, (*it)[0].first);
    out += (*it)[1].str();
    const std::string target = (*it)[2].str();
    out += ids.count(target) ? prefix + target : target;
    last = (*it)[0].second;
  }
  out.append(last, s.cend());
  // gnuplot titles every SVG "Gnuplot": use the chart's caption instead.
  const std::size_t t0 = out.find("<title>Gnuplot</title>");
  if (t0 != std::string::npos) out.replace(t0, 22, "<title>" + xml_escape(title) + "</title>");
  return out;
}

}  // namespace scorebench::reports

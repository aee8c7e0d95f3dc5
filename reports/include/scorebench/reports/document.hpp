#pragma once
// A report as a list of blocks (headings, paragraphs, notes, tables, rows of
// figures), rendered twice: to Markdown with the SVG files beside it, and to
// one self-contained HTML page with the SVGs inlined.
//
// Text may use two inline marks, `code` and **bold**, in both renderings.

#include <string>
#include <vector>

namespace scorebench::reports {

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;  // right-aligned columns (by index; missing = left)
  std::vector<bool> wrap;     // columns of prose that wrap in the page (missing = one line)
};

struct Figure {
  std::string file;  // SVG file name beside report.md
  std::string caption;
  std::string svg;  // the SVG text, inlined in the HTML page
};

struct Block {
  enum class Kind { heading, paragraph, note, table, figures };
  Kind kind = Kind::paragraph;
  int level = 2;
  std::string text;  // heading, paragraph or note
  Table table;
  std::vector<Figure> figures;
};

class Document {
 public:
  explicit Document(std::string title) : title_(std::move(title)) {}
  void heading(int level, std::string text);
  void paragraph(std::string text);
  // A remark set apart: a missing input, a missing tool, a caveat.
  void note(std::string text);
  void table(Table table);
  void figures(std::vector<Figure> figures);
  // The blocks of `other`, after these.
  void append(const Document& other);

  const std::string& title() const { return title_; }
  const std::vector<Block>& blocks() const { return blocks_; }

 private:
  std::string title_;
  std::vector<Block> blocks_;
};

std::string render_markdown(const Document& doc);
// One page with inline CSS and inline SVG; no scripts, no external resource.
std::string render_html(const Document& doc);

// An SVG file's text made fit to inline in HTML: the XML prolog and DOCTYPE
// dropped and every id (and reference to it) prefixed with `prefix` so that
// several charts can share one page.
std::string inline_svg(const std::string& svg, const std::string& prefix, const std::string& title);

// Heading text → anchor id: lower case, runs of other characters → '-'.
std::string anchor(const std::string& text);

}  // namespace scorebench::reports

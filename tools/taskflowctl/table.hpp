// Left-aligned text columns for people: a header row, then one row per item,
// each column as wide as its widest cell.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace taskflow::ctl {

class table {
public:
  explicit table(std::vector<std::string> header);
  void add(std::vector<std::string> row);
  void print(std::ostream& out) const;

private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace taskflow::ctl

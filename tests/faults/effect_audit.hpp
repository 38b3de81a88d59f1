// What the cluster audit (tests/cluster) does not see: writes that took
// effect twice, and acknowledged deletes that did not. Every create and
// patch of the fault traffic sets a title no other request uses, so a title
// found in two events is one request applied twice: a create retried into a
// second task, or a patch whose version advanced twice.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace taskflow::faults_test {

struct effect_audit {
  int events = 0;                     // task events of the clients' users
  int duplicated = 0;                 // titles set by more than one event, beyond the first
  int deletes_missing = 0;            // acknowledged deletes of tasks the store still holds undeleted (or not at all)
  std::vector<std::string> examples;  // the first few duplicated titles
};

effect_audit audit_effects(const std::string& postgres_url, const std::vector<std::string>& owner_ids,
                           const std::set<std::string>& deleted);

}  // namespace taskflow::faults_test

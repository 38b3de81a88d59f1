// libcurl's handles with their cleanup attached, for every outbound HTTP
// client of the node (webhook deliveries, the OTLP trace exporter).
#pragma once

#include <memory>

#include <curl/curl.h>

namespace taskflow::runtime {

struct curl_easy_deleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct curl_list_deleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using easy_handle = std::unique_ptr<CURL, curl_easy_deleter>;
using header_list = std::unique_ptr<curl_slist, curl_list_deleter>;

}  // namespace taskflow::runtime

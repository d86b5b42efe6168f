#ifndef FW_CCURLSHIM_H
#define FW_CCURLSHIM_H
#include <curl/curl.h>

// curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic, which
// Swift cannot call: one typed wrapper per argument type.
typedef size_t (*fw_data_cb)(char *_Nullable ptr, size_t size, size_t nmemb, void *_Nullable userdata);

CURLcode fw_setopt_long(CURL *_Nonnull h, CURLoption o, long v);
CURLcode fw_setopt_off(CURL *_Nonnull h, CURLoption o, curl_off_t v);
CURLcode fw_setopt_str(CURL *_Nonnull h, CURLoption o, const char *_Nullable v);
CURLcode fw_setopt_ptr(CURL *_Nonnull h, CURLoption o, void *_Nullable v);
CURLcode fw_setopt_slist(CURL *_Nonnull h, CURLoption o, struct curl_slist *_Nullable v);
CURLcode fw_setopt_datacb(CURL *_Nonnull h, CURLoption o, fw_data_cb _Nullable cb);
// CURLOPT_DEBUGFUNCTION: SMTP's server replies arrive here (CURLINFO_HEADER_IN), the only place
// libcurl exposes their text.
typedef int (*fw_debug_cb)(CURL *_Nonnull h, curl_infotype type, char *_Nullable data, size_t size,
                           void *_Nullable userdata);
CURLcode fw_setopt_debugcb(CURL *_Nonnull h, CURLoption o, fw_debug_cb _Nullable cb);
// CURLOPT_XFERINFOFUNCTION: returning non-zero aborts a blocking curl_easy_perform.
typedef int (*fw_xferinfo_cb)(void *_Nullable userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                              curl_off_t ulnow);
CURLcode fw_setopt_xferinfocb(CURL *_Nonnull h, CURLoption o, fw_xferinfo_cb _Nullable cb);
CURLcode fw_getinfo_long(CURL *_Nonnull h, CURLINFO i, long *_Nonnull out);
CURLcode fw_getinfo_off(CURL *_Nonnull h, CURLINFO i, curl_off_t *_Nonnull out);
CURLcode fw_getinfo_str(CURL *_Nonnull h, CURLINFO i, const char *_Nullable *_Nonnull out);
CURLcode fw_getinfo_ptr(CURL *_Nonnull h, CURLINFO i, void *_Nullable *_Nonnull out);
CURLMcode fw_multi_setopt_long(CURLM *_Nonnull m, CURLMoption o, long v);

#endif

// libcurl from Debian (libcurl4-openssl-dev, 7.88 or later: CURLOPT_PROTOCOLS_STR needs 7.85,
// CURLOPT_PREREQFUNCTION 7.80). curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are
// variadic C functions, which Swift cannot call; each wrapper below fixes the type of the one
// argument so the compiler passes it the way libcurl reads it (long, pointer, curl_off_t or a
// function pointer of the exact callback type).
// The wrappers pass options chosen at run time, which the header's compile-time type checking
// macros (typecheck-gcc.h, enabled for clang too) cannot follow: the wrappers' types do that job.
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

// Options whose argument is a long (timeouts, limits, flags).
static inline CURLcode winnow_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

// Options whose argument is a NUL-terminated string, copied by libcurl (URL, User-Agent, protocols).
static inline CURLcode winnow_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

// Options whose argument is an opaque pointer kept by libcurl (callback data, CURLOPT_PRIVATE, a
// header list), or NULL to clear one.
static inline CURLcode winnow_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

// Options whose argument is a curl_off_t (CURLOPT_MAXFILESIZE_LARGE).
static inline CURLcode winnow_easy_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

// CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION: the body and header callbacks.
typedef size_t (*winnow_data_callback)(char *data, size_t size, size_t count, void *context);
static inline CURLcode winnow_easy_setopt_data_callback(CURL *handle, CURLoption option, winnow_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

// CURLOPT_OPENSOCKETFUNCTION: called with each resolved address before a socket is made for it,
// where the daemon refuses private and loopback addresses (the SSRF guard).
typedef curl_socket_t (*winnow_opensocket_callback)(void *context, curlsocktype purpose, struct curl_sockaddr *address);
static inline CURLcode winnow_easy_setopt_opensocket(CURL *handle, winnow_opensocket_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, callback);
}

// CURLOPT_PREREQFUNCTION: called once a connection is up (new or reused) before each request,
// including after a redirect, with the peer's address as text: the guard's second check.
typedef int (*winnow_prereq_callback)(void *context, char *primary_ip, char *local_ip, int primary_port, int local_port);
static inline CURLcode winnow_easy_setopt_prereq(CURL *handle, winnow_prereq_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_PREREQFUNCTION, callback);
}

// Information of type long (response code, redirect count), char * (content type, effective URL,
// primary IP) and void * (CURLINFO_PRIVATE).
static inline CURLcode winnow_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode winnow_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode winnow_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

// Multi-handle options of type long (CURLMOPT_MAX_TOTAL_CONNECTIONS, CURLMOPT_MAX_HOST_CONNECTIONS).
static inline CURLMcode winnow_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

// CURL_SOCKET_BAD is a macro Swift does not import as a value of curl_socket_t.
static inline curl_socket_t winnow_socket_bad(void) { return CURL_SOCKET_BAD; }

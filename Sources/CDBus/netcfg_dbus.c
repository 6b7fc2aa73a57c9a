#include "netcfg_dbus.h"

#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <systemd/sd-bus.h>

/* libsystemd is opened at the first call, not linked: the commands that never talk D-Bus do
   not pay for loading it and the libraries it needs. The header gives the types. */
#define FUNCTIONS(X) \
  X(sd_bus_open_system) X(sd_bus_flush_close_unref) X(sd_bus_message_new_method_call) \
  X(sd_bus_message_append_basic) X(sd_bus_message_set_auto_start) X(sd_bus_call) \
  X(sd_bus_message_peek_type) X(sd_bus_message_enter_container) X(sd_bus_message_exit_container) \
  X(sd_bus_message_read_basic) X(sd_bus_message_get_signature) X(sd_bus_message_unref) X(sd_bus_error_free)
#define FIELD(name) __typeof__(&name) name;
static struct { FUNCTIONS(FIELD) } sd;
static int loaded = -ENOSYS;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  void *library = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
  if (!library) { loaded = -ENOENT; return; }
#define RESOLVE(name) if (!(sd.name = (__typeof__(&name))dlsym(library, #name))) { loaded = -ENOSYS; return; }
  FUNCTIONS(RESOLVE)
  loaded = 0;
}

int netcfg_bus_open(void **bus) {
  pthread_once(&once, load);
  if (loaded < 0) return loaded;
  sd_bus *b = NULL;
  int r = sd.sd_bus_open_system(&b);
  if (r < 0) return r;
  *bus = b;
  return 0;
}

void netcfg_bus_close(void *bus) { sd.sd_bus_flush_close_unref((sd_bus *)bus); }

static void quote(FILE *out, const char *s) {
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') fprintf(out, "\\%c", *p);
    else if (*p < 0x20) fprintf(out, "\\u%04x", *p);
    else fputc(*p, out);
  }
  fputc('"', out);
}

/* Writes the values left in the current container of M, comma-separated. */
static int values(sd_bus_message *m, FILE *out) {
  int first = 1;
  for (;;) {
    char type;
    const char *contents = NULL;
    int r = sd.sd_bus_message_peek_type(m, &type, &contents);
    if (r < 0) return r;
    if (r == 0) return 0;
    if (!first) fputc(',', out);
    first = 0;
    switch (type) {
    case SD_BUS_TYPE_ARRAY:
    case SD_BUS_TYPE_STRUCT:
    case SD_BUS_TYPE_DICT_ENTRY:
    case SD_BUS_TYPE_VARIANT:
      r = sd.sd_bus_message_enter_container(m, type, contents);
      if (r < 0) return r;
      if (type != SD_BUS_TYPE_VARIANT) fputc('[', out);
      r = values(m, out);
      if (r < 0) return r;
      if (type != SD_BUS_TYPE_VARIANT) fputc(']', out);
      r = sd.sd_bus_message_exit_container(m);
      if (r < 0) return r;
      break;
    default: {
      union { uint8_t y; int b; int16_t n; uint16_t q; int32_t i; uint32_t u; int64_t x; uint64_t t; double d; const char *s; } v;
      r = sd.sd_bus_message_read_basic(m, type, &v);
      if (r < 0) return r;
      switch (type) {
      case SD_BUS_TYPE_BYTE: fprintf(out, "%u", v.y); break;
      case SD_BUS_TYPE_BOOLEAN: fputs(v.b ? "true" : "false", out); break;
      case SD_BUS_TYPE_INT16: fprintf(out, "%d", v.n); break;
      case SD_BUS_TYPE_UINT16: fprintf(out, "%u", v.q); break;
      case SD_BUS_TYPE_INT32: case SD_BUS_TYPE_UNIX_FD: fprintf(out, "%" PRId32, v.i); break;
      case SD_BUS_TYPE_UINT32: fprintf(out, "%" PRIu32, v.u); break;
      case SD_BUS_TYPE_INT64: fprintf(out, "%" PRId64, v.x); break;
      case SD_BUS_TYPE_UINT64: fprintf(out, "%" PRIu64, v.t); break;
      case SD_BUS_TYPE_DOUBLE: fprintf(out, "%.17g", v.d); break;
      default: quote(out, v.s ? v.s : ""); break; /* s, o, g */
      }
    }
    }
  }
}

/* Sends M (auto-start off) and writes the reply as {"type":SIG,"data":...}: the whole
   argument list as an array, or (variant) the one value inside. */
static int exchange(sd_bus *bus, sd_bus_message *m, int variant, char **json, char **error) {
  sd_bus_error e = SD_BUS_ERROR_NULL;
  sd_bus_message *reply = NULL;
  char *text = NULL;
  size_t size = 0;
  *json = NULL;
  *error = NULL;
  int r = sd.sd_bus_message_set_auto_start(m, 0);
  if (r >= 0) r = sd.sd_bus_call(bus, m, 2000000 /* µs */, &e, &reply);
  if (r < 0) {
    if (e.name) *error = strdup(e.name);
    goto done;
  }
  FILE *out = open_memstream(&text, &size);
  if (!out) { r = -errno; goto done; }
  const char *signature = NULL;
  if (variant) {
    char type;
    r = sd.sd_bus_message_peek_type(reply, &type, &signature);
    if (r >= 0 && type != SD_BUS_TYPE_VARIANT) r = -EBADMSG;
  } else {
    signature = sd.sd_bus_message_get_signature(reply, 1);
  }
  if (r >= 0) {
    fputs("{\"type\":", out);
    quote(out, signature ? signature : "");
    fputs(",\"data\":", out);
    if (!variant) fputc('[', out);
    r = values(reply, out);
    if (!variant) fputc(']', out);
    fputc('}', out);
  }
  if (fclose(out) != 0 && r >= 0) r = -errno;
  if (r >= 0) { *json = text; text = NULL; r = 0; }
done:
  free(text);
  sd.sd_bus_error_free(&e);
  sd.sd_bus_message_unref(reply);
  sd.sd_bus_message_unref(m);
  return r;
}

int netcfg_bus_get_property(void *bus, const char *destination, const char *path, const char *interface,
                            const char *property, char **json, char **error) {
  sd_bus_message *m = NULL;
  *json = NULL;
  *error = NULL;
  int r = sd.sd_bus_message_new_method_call((sd_bus *)bus, &m, destination, path, "org.freedesktop.DBus.Properties", "Get");
  if (r >= 0) r = sd.sd_bus_message_append_basic(m, SD_BUS_TYPE_STRING, interface);
  if (r >= 0) r = sd.sd_bus_message_append_basic(m, SD_BUS_TYPE_STRING, property);
  if (r < 0) { sd.sd_bus_message_unref(m); return r; }
  return exchange((sd_bus *)bus, m, 1, json, error);
}

int netcfg_bus_call(void *bus, const char *destination, const char *path, const char *interface,
                    const char *method, char **json, char **error) {
  sd_bus_message *m = NULL;
  *json = NULL;
  *error = NULL;
  int r = sd.sd_bus_message_new_method_call((sd_bus *)bus, &m, destination, path, interface, method);
  if (r < 0) return r;
  return exchange((sd_bus *)bus, m, 0, json, error);
}

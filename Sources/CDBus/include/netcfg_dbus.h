#ifndef NETCFG_DBUS_H
#define NETCFG_DBUS_H

/* Asking daemons over the system D-Bus (libsystemd's sd-bus), without starting them. Replies
   come back as JSON in the shape `busctl --json=short` prints, so that the decoders are the
   same for live answers and recorded ones. Strings returned are malloc'd (free them). */

/* Opens a connection to the system bus: 0, or -errno (-ENOENT: no libsystemd.so.0 to load). */
int netcfg_bus_open(void **bus);
void netcfg_bus_close(void *bus);

/* Property PROPERTY of INTERFACE at PATH of DESTINATION: {"type":SIG,"data":VALUE}.
   0 and *json; or -errno, with *error the D-Bus error name when the bus gave one. */
int netcfg_bus_get_property(void *bus, const char *destination, const char *path, const char *interface,
                            const char *property, char **json, char **error);

/* METHOD (no arguments) of INTERFACE at PATH of DESTINATION: {"type":SIG,"data":[VALUES]}. */
int netcfg_bus_call(void *bus, const char *destination, const char *path, const char *interface,
                    const char *method, char **json, char **error);

#endif

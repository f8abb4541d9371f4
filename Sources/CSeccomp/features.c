/* What the running kernel's seccomp supports; see cseccomp.h. Nothing here
 * loads a filter. */
#define _GNU_SOURCE
#include "cseccomp.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SECCOMP_GET_ACTION_AVAIL
#define SECCOMP_GET_ACTION_AVAIL 2
#endif
#ifndef SECCOMP_GET_NOTIF_SIZES
#define SECCOMP_GET_NOTIF_SIZES 3
#endif

int cordon_action_available(uint32_t action) {
    return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0 ? 0 : errno;
}

int cordon_filter_flag_errno(uint32_t flags) {
    return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, NULL) == 0 ? 0 : errno;
}

int cordon_notification_sizes(uint16_t *notif, uint16_t *response, uint16_t *data) {
    struct { uint16_t notif, response, data; } sizes = {0, 0, 0};
    if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) != 0) return errno;
    *notif = sizes.notif;
    *response = sizes.response;
    *data = sizes.data;
    return 0;
}

#ifndef MLCI_CGITOFFLINE_H
#define MLCI_CGITOFFLINE_H
/* No declarations: this target only replaces parts of libgit2 at link time (offline.c). */
#endif

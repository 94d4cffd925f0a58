#ifndef CSYSTEMSHIMS_H
#define CSYSTEMSHIMS_H
int csys_placeholder(void);
#endif

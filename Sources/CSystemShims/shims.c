#include "CSystemShims.h"
int csys_placeholder(void) { return 0; }

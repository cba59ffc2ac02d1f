/* main.c — stub being written. */
#include <stdio.h>
int main(void) { puts("etlport"); return 0; }

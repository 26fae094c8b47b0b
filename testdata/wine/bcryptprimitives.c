/* bcryptprimitives.dll for Debian's wine 8, which lacks it: Go 1.22 and later on Windows
 * take their random numbers from ProcessPrng, which this forwards to RtlGenRandom
 * (advapi32's SystemFunction036). Only for running test binaries under wine
 * (make wine); real Windows has the real DLL. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
	while (length > 0) {
		ULONG n = length > 0x10000000 ? 0x10000000 : (ULONG)length;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		length -= n;
	}
	return TRUE;
}

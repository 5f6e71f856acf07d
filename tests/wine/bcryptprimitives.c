// A stand-in for Windows' bcryptprimitives.dll, for running Go programs under Debian 12's
// wine 8.0, which lacks it: Go (1.22 and later) seeds its random numbers from ProcessPrng
// there. This one forwards to RtlGenRandom (advapi32's SystemFunction036), which wine has.
// Used only by scripts/test.sh to run the CGO_ENABLED=0 Windows test program; nothing ships it.
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
	while (length > 0) {
		ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
		if (!SystemFunction036(data, n)) return FALSE;
		data += n;
		length -= n;
	}
	return TRUE;
}

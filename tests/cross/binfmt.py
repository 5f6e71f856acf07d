"""Readers for the binary formats dstoken ships: ELF (Linux), PE/COFF (Windows), ar archives
(static libraries) and WebAssembly modules, from bytes (so archive members are read without
being extracted).

Written with the standard library's struct rather than pyelftools/pefile: the few facts the
packaging tests need (machine, NEEDED, SONAME, BIND_NOW, the interpreter, GLIBC_ version needs;
PE machine, imported DLLs, exported names; wasm imports and exports) are each a few lines of
struct, the tests then read every file the same way on any host (no binutils for aarch64 or
mingw needed), and there is no further dependency to pin and install."""
import struct
from dataclasses import dataclass, field

EM_X86_64, EM_AARCH64 = 62, 183
ELF_MACHINES = {EM_X86_64: "x86_64", EM_AARCH64: "aarch64"}
PE_MACHINES = {0x8664: "x86_64", 0xAA64: "aarch64", 0x14C: "i386"}

PT_LOAD, PT_DYNAMIC, PT_INTERP = 1, 2, 3
DT_NULL, DT_NEEDED, DT_STRTAB, DT_SONAME, DT_FLAGS = 0, 1, 5, 14, 30
DT_FLAGS_1, DT_VERNEED, DT_VERNEEDNUM = 0x6FFFFFFB, 0x6FFFFFFE, 0x6FFFFFFF
DF_BIND_NOW, DF_1_NOW = 0x8, 0x1
ET_REL, ET_EXEC, ET_DYN = 1, 2, 3


def is_elf(data):
    return data[:4] == b"\x7fELF"


def is_pe(data):
    if data[:2] != b"MZ" or len(data) < 0x40:
        return False
    off = struct.unpack_from("<I", data, 0x3C)[0]
    return data[off:off + 4] == b"PE\0\0"


def is_ar(data):
    return data[:8] == b"!<arch>\n"


def is_wasm(data):
    return data[:4] == b"\0asm"


@dataclass
class Elf:
    machine: str
    type: int
    interp: str | None = None
    dynamic: bool = False
    needed: list = field(default_factory=list)
    soname: str | None = None
    bind_now: bool = False
    versions: dict = field(default_factory=dict)  # file -> [version names]

    @property
    def glibc_versions(self):
        return sorted({v for names in self.versions.values() for v in names if v.startswith("GLIBC_")},
                      key=version_key)


def version_key(name):
    return tuple(int(x) for x in name.split("_", 1)[1].split(".") if x.isdigit())


def read_elf(data):
    """The facts of one ELF file (64- or 32-bit, little-endian)."""
    if not is_elf(data):
        raise ValueError("not an ELF file")
    if data[5] != 1:
        raise ValueError("big-endian ELF")
    is64 = data[4] == 2
    e_type, e_machine = struct.unpack_from("<HH", data, 16)
    if is64:
        e_phoff, = struct.unpack_from("<Q", data, 32)
        e_phentsize, e_phnum = struct.unpack_from("<HH", data, 54)
    else:
        e_phoff, = struct.unpack_from("<I", data, 28)
        e_phentsize, e_phnum = struct.unpack_from("<HH", data, 42)
    elf = Elf(machine=ELF_MACHINES.get(e_machine, f"EM_{e_machine}"), type=e_type)
    loads, dyn = [], None
    for i in range(e_phnum):
        o = e_phoff + i * e_phentsize
        if is64:
            p_type, _flags, p_offset, p_vaddr, _paddr, p_filesz = struct.unpack_from("<IIQQQQ", data, o)
        else:
            p_type, p_offset, p_vaddr, _paddr, p_filesz = struct.unpack_from("<IIIII", data, o)
        if p_type == PT_LOAD:
            loads.append((p_vaddr, p_offset, p_filesz))
        elif p_type == PT_INTERP:
            elf.interp = data[p_offset:p_offset + p_filesz].rstrip(b"\0").decode()
        elif p_type == PT_DYNAMIC:
            dyn = (p_offset, p_filesz)
    if dyn is None:
        return elf
    elf.dynamic = True

    def at(vaddr):
        for start, off, size in loads:
            if start <= vaddr < start + size:
                return off + vaddr - start
        raise ValueError(f"address {vaddr:#x} is in no loaded segment")

    fmt, size = ("<qQ", 16) if is64 else ("<iI", 8)
    entries = []
    for o in range(dyn[0], dyn[0] + dyn[1], size):
        tag, val = struct.unpack_from(fmt, data, o)
        if tag == DT_NULL:
            break
        entries.append((tag, val))
    tags = {}
    for tag, val in entries:
        tags.setdefault(tag, val)
    strtab = at(tags[DT_STRTAB]) if DT_STRTAB in tags else None

    def string(off):
        start = strtab + off
        return data[start:data.index(b"\0", start)].decode()

    for tag, val in entries:
        if tag == DT_NEEDED:
            elf.needed.append(string(val))
        elif tag == DT_SONAME:
            elf.soname = string(val)
        elif tag == DT_FLAGS and val & DF_BIND_NOW:
            elf.bind_now = True
        elif tag == DT_FLAGS_1 and val & DF_1_NOW:
            elf.bind_now = True
    if DT_VERNEED in tags:
        o = at(tags[DT_VERNEED])
        for _ in range(tags.get(DT_VERNEEDNUM, 0)):
            _ver, cnt, vfile, aux, nxt = struct.unpack_from("<HHIII", data, o)
            names, a = [], o + aux
            for _ in range(cnt):
                _hash, _flags, _other, name, anext = struct.unpack_from("<IHHII", data, a)
                names.append(string(name))
                a += anext
            elf.versions[string(vfile)] = names
            if not nxt:
                break
            o += nxt
    return elf


@dataclass
class Pe:
    machine: str
    is_dll: bool
    imports: list
    exports: list


def read_pe(data):
    """Machine, imported DLLs (plain and delay-loaded) and exported names of a PE file."""
    if not is_pe(data):
        raise ValueError("not a PE file")
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    coff = pe + 4
    machine, nsections = struct.unpack_from("<HH", data, coff)
    opt_size, characteristics = struct.unpack_from("<HH", data, coff + 16)
    opt = coff + 20
    magic, = struct.unpack_from("<H", data, opt)
    dirs = opt + (112 if magic == 0x20B else 96)
    ndirs, = struct.unpack_from("<I", data, dirs - 4)
    sections = []
    for i in range(nsections):
        s = opt + opt_size + 40 * i
        vsize, vaddr, rawsize, rawptr = struct.unpack_from("<IIII", data, s + 8)
        sections.append((vaddr, max(vsize, rawsize), rawptr))

    def at(rva):
        for vaddr, size, raw in sections:
            if vaddr <= rva < vaddr + size:
                return raw + rva - vaddr
        raise ValueError(f"RVA {rva:#x} is in no section")

    def cstring(rva):
        o = at(rva)
        return data[o:data.index(b"\0", o)].decode()

    def directory(i):
        return struct.unpack_from("<II", data, dirs + 8 * i) if i < ndirs else (0, 0)

    imports = []
    rva, size = directory(1)
    if rva:
        o = at(rva)
        while True:
            desc = struct.unpack_from("<IIIII", data, o)
            if not any(desc):
                break
            imports.append(cstring(desc[3]))
            o += 20
    rva, size = directory(13)  # delay-load imports
    if rva:
        o = at(rva)
        while True:
            desc = struct.unpack_from("<8I", data, o)
            if not any(desc):
                break
            imports.append(cstring(desc[1]))
            o += 32
    exports = []
    rva, size = directory(0)
    if rva:
        o = at(rva)
        nnames, = struct.unpack_from("<I", data, o + 24)
        names_rva, = struct.unpack_from("<I", data, o + 32)
        names = at(names_rva)
        exports = [cstring(struct.unpack_from("<I", data, names + 4 * i)[0]) for i in range(nnames)]
    return Pe(machine=PE_MACHINES.get(machine, f"{machine:#x}"), is_dll=bool(characteristics & 0x2000),
              imports=imports, exports=exports)


def ar_members(data):
    """(name, bytes) of each member of an ar archive (GNU and BSD name forms)."""
    if not is_ar(data):
        raise ValueError("not an ar archive")
    o, longnames = 8, b""
    while o + 60 <= len(data):
        header = data[o:o + 60]
        name = header[:16].decode().rstrip()
        size = int(header[48:58].decode().strip())
        body = data[o + 60:o + 60 + size]
        o += 60 + size + (size & 1)
        if name == "//":
            longnames = body
            continue
        if name in ("/", "/SYM64/", "__.SYMDEF", "__.SYMDEF SORTED"):
            continue
        if name.startswith("#1/"):  # BSD: the name leads the body
            n = int(name[3:])
            name, body = body[:n].rstrip(b"\0").decode(), body[n:]
        elif name.startswith("/") and name[1:].isdigit():
            start = int(name[1:])
            name = longnames[start:longnames.index(b"\n", start)].decode().rstrip("/")
        else:
            name = name.rstrip("/")
        yield name, body


def object_machine(data):
    """The machine of a relocatable object in a static library: ELF, COFF, or a COFF short
    import record (import libraries)."""
    if is_elf(data):
        return ELF_MACHINES.get(struct.unpack_from("<H", data, 18)[0], "?")
    sig1, sig2 = struct.unpack_from("<HH", data, 0)
    if sig1 == 0 and sig2 == 0xFFFF:  # IMPORT_OBJECT_HEADER
        return PE_MACHINES.get(struct.unpack_from("<H", data, 6)[0], "?")
    return PE_MACHINES.get(sig1, f"{sig1:#x}")


def read_wasm(data):
    """(imports, exports) of a WebAssembly module: [(module, name, kind)], [(name, kind)]."""
    if not is_wasm(data) or data[4:8] != b"\1\0\0\0":
        raise ValueError("not a WebAssembly 1.0 module")
    kinds = {0: "function", 1: "table", 2: "memory", 3: "global", 4: "tag"}

    def leb(o):
        result = shift = 0
        while True:
            b = data[o]
            o += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return result, o

    def name(o):
        n, o = leb(o)
        return data[o:o + n].decode(), o + n

    imports, exports, o = [], [], 8
    while o < len(data):
        sid = data[o]
        size, o = leb(o + 1)
        end = o + size
        if sid == 2:
            count, p = leb(o)
            for _ in range(count):
                mod, p = name(p)
                nm, p = name(p)
                kind = data[p]
                imports.append((mod, nm, kinds.get(kind, kind)))
                break  # the kind's payload varies; any import at all is what matters
        elif sid == 7:
            count, p = leb(o)
            for _ in range(count):
                nm, p = name(p)
                kind = data[p]
                _index, p = leb(p + 1)
                exports.append((nm, kinds.get(kind, kind)))
        o = end
    return imports, exports

# FuseChat.NET code sandbox: the trusted launcher and the in-sandbox harness in one file.
# Started by SandboxRunner with a minimal environment, compiled once per .NET process (compiling this file costs
# more than everything else a trivial sample does): as the zygote, `python3 -s -S sandbox.pyc --serve`, which forks
# one launcher per job (see serve()), or as one launcher, `python3 -s -S sandbox.pyc <jobdir>`.
# Layout of one run:
#   launcher (this process, trusted; root when possible)
#     unshare(mount, net, pid, ipc, uts) -> private tmpfs over every world-writable dir, no network
#     └── init (pid 1 of the new pid namespace, trusted): mounts /proc, waits for the worker, exits;
#         when it exits the kernel kills every process left in the namespace (fork bombs, daemons).
#         └── worker: drops to an unprivileged uid, sets rlimits, runs the untrusted code.
# The worker never sees expected outputs: it reports raw results on a pipe and the launcher compares
# them, so a sample cannot pass IO or stdio tests by printing a forged verdict.
# The launcher prints exactly one JSON line (the verdict) on stdout.
import sys
import os

del sys.path[0]   # the script's folder (or "" for -c): nothing is imported from there
# Start-up time is most of a sandbox's cost, so only C modules are imported eagerly: the json and signal
# packages would pull in re and enum (~15 ms of CPU per sample); _json's C scanner and encoder do the same work.
import _json
import math
import select
import time

SIGKILL, SIGXCPU = 9, 24
SIGNAL_NAMES = {4: "SIGILL", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE",
                15: "SIGTERM", 24: "SIGXCPU", 25: "SIGXFSZ"}

RESULT_CAP = 64 << 20
DIAG_CAP = 4096
# Every world-writable place, plus /run (its unix sockets would reach services outside the network namespace).
TMPFS_DIRS = ("/tmp", "/var/tmp", "/dev/shm", "/run")
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = (
    0x00020000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000)
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38

# Evalplus's MBPP+ oracles, keyed by entry point (facts from evalplus/eval/_special_oracle.py).
MBPP_OUTPUT_NOT_NONE = ("check_str", "text_match_three", "text_starta_endb")
MBPP_OUTPUT_SET_EQ = ("similar_elements", "find_char_long", "common_in_nested_lists", "extract_singly",
                      "larg_nnum", "intersection_array", "find_dissimilar", "Diff")

_libc = None


def libc():
    global _libc
    if _libc is None:
        import ctypes
        _libc = ctypes.CDLL(None, use_errno=True)
    return _libc


def check(rc, what):
    if rc != 0:
        import ctypes
        e = ctypes.get_errno()
        raise OSError(e, what + ": " + os.strerror(e))


# ---------------------------------------------------------------- value protocol
# Python values cross the process boundary as JSON with tags for what JSON cannot say.
class Opaque:
    """A value the protocol cannot carry (a regex match, an object): equal to nothing, but not None."""
    def __init__(self, type_name, text):
        self.type_name, self.text = type_name, text

    def __eq__(self, other):
        return False

    __hash__ = object.__hash__

    def __repr__(self):
        return "<%s %s>" % (self.type_name, self.text)


def encode(v, depth=0):
    if depth > 200:
        raise ValueError("value nested too deeply")
    t = type(v)
    if v is None or t is bool or t is str:
        return v
    if isinstance(v, bool):
        return bool(v)
    if isinstance(v, int):
        v = int(v)
        return v if -(1 << 53) <= v <= (1 << 53) else {"__int__": str(v)}
    if isinstance(v, float):
        v = float(v)
        return v if math.isfinite(v) else {"__float__": repr(v)}
    if isinstance(v, str):
        return str(v)
    if isinstance(v, list):
        return [encode(x, depth + 1) for x in v]
    if isinstance(v, tuple):
        return {"__tuple__": [encode(x, depth + 1) for x in v]}
    if isinstance(v, frozenset):
        return {"__frozenset__": [encode(x, depth + 1) for x in v]}
    if isinstance(v, set):
        return {"__set__": [encode(x, depth + 1) for x in v]}
    if isinstance(v, dict):
        return {"__dict__": [[encode(k, depth + 1), encode(x, depth + 1)] for k, x in v.items()]}
    if isinstance(v, complex):
        return {"__complex__": [encode(v.real), encode(v.imag)]}
    if isinstance(v, (bytes, bytearray)):
        return {"__bytes__": bytes(v).hex()}
    if isinstance(v, Opaque):
        return {"__opaque__": v.type_name, "repr": v.text}
    try:
        text = repr(v)[:200]
    except BaseException:
        text = "?"
    return {"__opaque__": type(v).__name__, "repr": text}


def _decode_obj(o):
    if len(o) == 1:
        (k, v), = o.items()
        if k == "__tuple__":
            return tuple(v)
        if k == "__set__":
            return set(v)
        if k == "__frozenset__":
            return frozenset(v)
        if k == "__dict__":
            return {kk: vv for kk, vv in v}
        if k == "__int__":
            return int(v)
        if k == "__float__":
            return float(v)
        if k == "__complex__":
            return complex(v) if isinstance(v, str) else complex(v[0], v[1])
        if k == "__bytes__":
            return bytes.fromhex(v)
    if "__opaque__" in o and len(o) == 2:
        return Opaque(o["__opaque__"], o.get("repr", ""))
    return o


def _scanner(hook):
    ctx = type("ScanContext", (), {})()
    ctx.strict, ctx.object_hook, ctx.object_pairs_hook = True, hook, None
    ctx.parse_float, ctx.parse_int, ctx.parse_constant = float, int, float
    return _json.make_scanner(ctx)


_PLAIN_SCANNER = _scanner(None)
_TAGGED_SCANNER = _scanner(_decode_obj)
_ENCODER = _json.make_encoder(None, None, _json.encode_basestring, None, ":", ",", False, False, False)
_ASCII_ENCODER = _json.make_encoder(None, None, _json.encode_basestring_ascii, None, ":", ",", False, False, False)


def loads(text, tagged=False):
    """json.loads without the json package: strict JSON; with `tagged`, tags become Python values."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8")
    text = text.strip()
    try:
        value, end = (_TAGGED_SCANNER if tagged else _PLAIN_SCANNER)(text, 0)
    except StopIteration:
        raise ValueError("invalid JSON")
    if end != len(text):
        raise ValueError("extra data after JSON value")
    return value


def dumps(value, ascii_only=False):
    """Compact JSON; non-finite floats raise ValueError (encode() tags them first)."""
    return "".join((_ASCII_ENCODER if ascii_only else _ENCODER)(value, 0))


def decode(text):
    return loads(text, tagged=True)


def untag(value):
    """Python values from already-parsed JSON with tags."""
    if isinstance(value, list):
        return [untag(v) for v in value]
    if isinstance(value, dict):
        return _decode_obj({k: untag(v) for k, v in value.items()})
    return value


# ---------------------------------------------------------------- comparison (launcher side)
def is_floats(x):
    if isinstance(x, float):
        return True
    if isinstance(x, (list, tuple)) and x:
        return all(isinstance(i, float) for i in x)
    return False


def allclose(out, exp, atol, rtol=1e-07):
    """numpy.allclose for scalars and (nested) sequences of equal shape; anything else is not close."""
    if isinstance(exp, (list, tuple)):
        if not isinstance(out, (list, tuple)):
            return all(allclose(out, e, atol, rtol) for e in exp)
        if len(out) != len(exp):
            return False
        return all(allclose(o, e, atol, rtol) for o, e in zip(out, exp))
    if isinstance(out, (list, tuple)):
        return all(allclose(o, exp, atol, rtol) for o in out)
    if not isinstance(out, (int, float)) or not isinstance(exp, (int, float)):
        return False
    if math.isinf(out) or math.isinf(exp):
        return out == exp
    return abs(out - exp) <= atol + rtol * abs(exp)


def surface_area_oracle(base_edge, height):
    slant = math.sqrt((base_edge / 2) ** 2 + height ** 2)
    return round(base_edge ** 2 + 4 * (base_edge * slant) / 2)


def digit_distance_oracle(a, b):
    sa, sb = str(a), str(b)
    n = max(len(sa), len(sb))
    sa, sb = sa.zfill(n), sb.zfill(n)
    return sum(abs(int(x) - int(y)) for x, y in zip(sa, sb))


def io_output_matches(out, exp, inp, entry, atol, mbpp):
    """One MBPP+/HumanEval+ style comparison, with evalplus's semantics (exact, then float tolerance)."""
    exact = out == exp
    if mbpp:
        if entry == "are_equivalent":
            exact = True
        elif entry == "sum_div":
            exact = exact or out == 0
        elif entry == "surface_Area":
            exact = exact or abs(out - surface_area_oracle(*inp)) <= atol
        elif entry == "digit_distance_nums":
            exact = exact or out == digit_distance_oracle(*inp)
        elif entry in MBPP_OUTPUT_SET_EQ:
            exact = set(out) == set(exp)
        elif entry in MBPP_OUTPUT_NOT_NONE:
            exact = (out == exp) if isinstance(out, bool) else (exp == (out is not None))
    if atol == 0 and is_floats(exp):
        atol = 1e-6
    if not exact and atol != 0:
        if type(out) != type(exp):
            return False
        if isinstance(exp, (list, tuple)) and len(out) != len(exp):
            return False
        return allclose(out, exp, atol)
    return bool(exact)


def stdio_lines(text):
    return [line.strip() for line in text.strip().split("\n")]


def stdio_matches(got, want):
    """LiveCodeBench-style: same number of stripped lines; each line equal, or equal as decimal tokens."""
    from decimal import Decimal, InvalidOperation
    g, w = stdio_lines(got), stdio_lines(want)
    if len(g) != len(w):
        return False, "expected %d lines, got %d" % (len(w), len(g))
    for n, (a, b) in enumerate(zip(g, w), 1):
        if a == b:
            continue
        try:
            da = [Decimal(t) for t in a.split()]
            db = [Decimal(t) for t in b.split()]
        except (InvalidOperation, ValueError):
            return False, "line %d differs" % n
        if da != db:
            return False, "line %d differs" % n
    return True, None


# ---------------------------------------------------------------- worker side (untrusted code runs here)
class CappedBytes(__import__("io").BytesIO):
    def __init__(self, cap):
        super().__init__()
        self.cap = cap

    def write(self, b):
        if self.tell() + len(b) > self.cap:
            raise OSError("output limit exceeded")
        return super().write(b)


def send(fd, msg):
    data = (dumps(msg) + "\n").encode("utf-8", "replace")
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def short_error(e):
    name = type(e).__name__
    text = str(e)
    return (name + ": " + text if text else name)[:500]


def sanitize(code, entry):
    """Keeps imports and the top-level definitions the entry point needs; drops tests, prints and main blocks."""
    import ast
    tree = None
    lines = code.split("\n")
    try:
        tree = ast.parse(code)
    except SyntaxError:
        # Keep the longest prefix that parses (a truncated or chatty response).
        for end in range(len(lines) - 1, 0, -1):
            try:
                tree = ast.parse("\n".join(lines[:end]))
                lines = lines[:end]
                break
            except SyntaxError:
                continue
        if tree is None:
            return code
    defs, order, imports = {}, [], []
    for node in tree.body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        span = "\n".join(lines[start - 1:node.end_lineno])
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(span)
            continue
        names = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = [node.name]
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
        if not names:
            continue
        uses = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        for name in names:
            defs[name] = (span, uses)
        order.append((names, span))
    keep = set(defs)
    if entry and entry in defs:
        keep, todo = set(), [entry]
        while todo:
            name = todo.pop()
            if name in keep or name not in defs:
                continue
            keep.add(name)
            todo.extend(defs[name][1])
    body = [span for names, span in order if any(n in keep for n in names)]
    return "\n".join(imports + [""] + body) + "\n"


def run_program(source, stdin_bytes, cap):
    """Runs a whole program as __main__ with the given stdin; returns (stdout text, error or None)."""
    import io
    out = CappedBytes(cap)
    reader = io.TextIOWrapper(io.BytesIO(stdin_bytes), encoding="utf-8")
    writer = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)
    sys.stdin, sys.stdout = reader, writer
    err = None
    try:
        exec(source, {"__name__": "__main__", "__builtins__": __builtins__})
    except SystemExit as e:
        if e.code not in (None, 0):
            err = "exit status %r" % (e.code,)
    except BaseException as e:
        err = short_error(e)
    try:
        writer.flush()
    except BaseException:
        pass
    text = out.getvalue().decode("utf-8", "replace")
    sys.stdout, sys.stdin = sys.__stdout__, sys.__stdin__
    for wrapper in (reader, writer):
        try:
            wrapper.detach()
        except BaseException:
            pass
    return text, err


def work(job, res):
    """Runs in the worker after privileges are dropped. Everything it learns goes to `res`."""
    kind, code, entry = job["kind"], job["code"], job.get("entry_point")
    if job.get("sanitize") or kind == "sanitize":
        code = sanitize(code, entry)
    if kind == "sanitize":
        send(res, {"t": "code", "code": code})
        return
    source = code
    if kind == "assert":
        source = (job.get("prompt") or "") + code + "\n\n" + job["test"] + "\n\ncheck(" + entry + ")\n"
    try:
        compiled = compile(source, "<solution>", "exec")
    except BaseException as e:
        send(res, {"t": "syntax", "msg": short_error(e)})
        return
    if kind == "syntax":
        send(res, {"t": "ok"})
        return
    if kind == "stdio":
        for i, text in enumerate(job["inputs"]):
            got, err = run_program(compiled, text.encode("utf-8"), job["limits"]["out"])
            send(res, {"t": "out", "i": i, "stdout": got, "err": err})
        return
    import io
    sys.stdout = io.TextIOWrapper(CappedBytes(job["limits"]["out"]), encoding="utf-8")
    env = {"__name__": "__main__" if kind == "assert" else "__solution__", "__builtins__": __builtins__}
    try:
        exec(compiled, env)
    except AssertionError as e:
        send(res, {"t": "fail", "msg": ("AssertionError: " + str(e))[:500] if str(e) else "AssertionError"})
        return
    except BaseException as e:
        send(res, {"t": "fail" if kind == "assert" else "load", "msg": short_error(e)})
        return
    if kind == "assert":
        send(res, {"t": "ok"})
        return
    fn = env.get(entry)
    if not callable(fn):
        send(res, {"t": "load", "msg": "no function named %r" % entry})
        return
    import copy
    inputs = untag(job["inputs"])
    for i, args in enumerate(inputs):
        try:
            value = fn(*copy.deepcopy(args))
            try:
                payload = {"t": "out", "i": i, "v": encode(value)}
            except BaseException as e:
                payload = {"t": "out", "i": i, "err": "unencodable result: " + short_error(e)}
        except BaseException as e:
            payload = {"t": "out", "i": i, "err": short_error(e)}
        send(res, payload)


def enter_worker(job, res, out_w, workdir, uid):
    """Last trusted steps before the untrusted code: fds, cwd, limits, identity, environment."""
    import resource
    lim = job["limits"]
    devnull = os.open("/dev/null", os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out_w, 1)
    os.dup2(out_w, 2)
    os.makedirs(workdir, 0o700, exist_ok=True)
    if uid is not None:
        os.chown(workdir, uid, uid)
    os.chdir(workdir)
    try:
        # If a fork bomb of memory hogs ever exhausts the host, the OOM killer takes sandbox processes first.
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (lim["cpu"], lim["cpu"] + 1))
    resource.setrlimit(resource.RLIMIT_AS, (lim["as"], lim["as"]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (lim["fsize"], lim["fsize"]))
    if uid is not None:
        # Counts per uid; each run gets its own uid so parallel samples do not share the budget.
        resource.setrlimit(resource.RLIMIT_NPROC, (lim["nproc"], lim["nproc"]))
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    try:
        c = libc()
        c.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        c.prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0)
    except OSError:
        pass
    os.environ.clear()
    os.environ.update({"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": workdir, "TMPDIR": workdir,
                       "LANG": "C.UTF-8", "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"})
    sys.stdin = open(0, "r", closefd=False)
    sys.stdout = sys.__stdout__


# ---------------------------------------------------------------- launcher
def isolate(job):
    """New mount/net/pid/ipc/uts namespaces where allowed. Returns a label of what was achieved."""
    if not job.get("isolate", True):
        return "none"
    c = libc()
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS
    if os.geteuid() == 0:
        if c.unshare(flags) != 0:
            return "none"
        label = "namespaces"
    else:
        uid, gid = os.geteuid(), os.getegid()
        if c.unshare(flags | CLONE_NEWUSER) != 0:
            return "none"
        with open("/proc/self/setgroups", "w") as f:
            f.write("deny")
        with open("/proc/self/uid_map", "w") as f:
            f.write("0 %d 1" % uid)
        with open("/proc/self/gid_map", "w") as f:
            f.write("0 %d 1" % gid)
        label = "userns"
    check(c.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "make / private")
    size = max(job["limits"]["fsize"] * 4, 16 << 20)
    opts = ("size=%d,nr_inodes=20000,mode=1777" % size).encode()
    for d in TMPFS_DIRS:
        if os.path.isdir(d):
            check(c.mount(b"tmpfs", d.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, opts), "tmpfs " + d)
    return label


def run_init(job, res_w, out_w, workdir, uid, own_ns):
    """Pid 1 of the namespace (or a session leader in the fallback): runs the worker and reports its end."""
    die_with_parent()   # a killed launcher takes init, and so the whole namespace, with it
    if own_ns:
        try:
            check(libc().mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None), "mount proc")
        except OSError:
            pass
    else:
        os.setsid()
    pid = os.fork()
    if pid == 0:
        try:
            enter_worker(job, res_w, out_w, workdir, uid)
            work(job, res_w)
            send(res_w, {"t": "end"})
            code = 0
        except BaseException as e:
            try:
                send(res_w, {"t": "crash", "msg": short_error(e)})
            except BaseException:
                pass
            code = 3
        os._exit(code)
    os.close(res_w)
    os.close(out_w)
    _, status = os.waitpid(pid, 0)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))


def collect(job, init_pid, res_r, out_r, deadline, own_ns):
    """Reads results and diagnostics until the worker is done or the wall clock runs out."""
    res_buf, diag, diag_len = bytearray(), bytearray(), 0
    pidfd = os.pidfd_open(init_pid)
    open_fds = {res_r, out_r}
    timed_out, overflow, exit_status, grace = False, False, None, None
    while open_fds:
        now = time.monotonic()
        limit = deadline if grace is None else min(deadline, grace)
        if now >= limit:
            timed_out = grace is None
            break
        watch = list(open_fds) + ([pidfd] if exit_status is None else [])
        ready, _, _ = select.select(watch, [], [], limit - now)
        for fd in ready:
            if fd == pidfd:
                _, st = os.waitpid(init_pid, 0)
                exit_status = os.waitstatus_to_exitcode(st)
                grace = time.monotonic() + 1.0
                if not own_ns:
                    kill_group(init_pid)
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                open_fds.discard(fd)
            elif fd == res_r:
                if len(res_buf) + len(chunk) > RESULT_CAP:
                    overflow = True
                    open_fds.clear()
                    break
                res_buf += chunk
            else:
                diag_len += len(chunk)
                if len(diag) < DIAG_CAP:
                    diag += chunk[:DIAG_CAP - len(diag)]
    if exit_status is None and not timed_out:
        # Pipes closed first; init exits right after its worker.
        if select.select([pidfd], [], [], max(0.0, min(1.0, deadline - time.monotonic())))[0]:
            _, st = os.waitpid(init_pid, 0)
            exit_status = os.waitstatus_to_exitcode(st)
    if exit_status is None:
        try:
            os.kill(init_pid, SIGKILL)
        except ProcessLookupError:
            pass
        if not own_ns:
            kill_group(init_pid)
        _, st = os.waitpid(init_pid, 0)
        exit_status = os.waitstatus_to_exitcode(st)
    os.close(pidfd)
    return bytes(res_buf), bytes(diag), timed_out, overflow, exit_status


def die_with_parent():
    try:
        libc().prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0)
    except OSError:
        pass


def kill_group(pgid):
    try:
        os.killpg(pgid, SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def judge(job, expected, messages, diag, timed_out, overflow, exit_status):
    """Turns what the worker reported into a verdict. Runs in the trusted launcher."""
    kind = job["kind"]
    diag_text = diag.decode("utf-8", "replace").strip()
    by_type = {}
    outs = {}
    for m in messages:
        if m.get("t") == "out" and isinstance(m.get("i"), int):
            outs.setdefault(m["i"], m)
        else:
            by_type.setdefault(m.get("t"), m)

    def verdict(status, detail=None, **extra):
        v = {"status": status, "detail": detail}
        v.update(extra)
        return v

    if overflow:
        return verdict("failed", "result output exceeded %d bytes" % RESULT_CAP)
    if "syntax" in by_type:
        return verdict("error", "syntax error: " + by_type["syntax"]["msg"])
    if "crash" in by_type and "end" not in by_type:
        return verdict("error", "sandbox setup failed: " + by_type["crash"]["msg"])
    if kind == "sanitize":
        if "code" in by_type:
            return verdict("passed", None, code=by_type["code"]["code"])
        return verdict("error", "sanitizer did not finish" + (" (timeout)" if timed_out else ""))
    if "load" in by_type:
        return verdict("failed", "could not load the solution: " + by_type["load"]["msg"])
    if "fail" in by_type:
        return verdict("failed", by_type["fail"]["msg"])
    if timed_out:
        return verdict("timeout", "wall-clock limit of %gs exceeded" % job["limits"]["wall"])
    if exit_status is not None and exit_status >= 128 and "end" not in by_type:
        sig = exit_status - 128
        if sig == SIGXCPU:
            return verdict("timeout", "CPU limit of %ds exceeded" % job["limits"]["cpu"])
        name = SIGNAL_NAMES.get(sig, "signal %d" % sig)
        return verdict("failed", "killed by " + name + ((": " + diag_text[-300:]) if diag_text else ""))
    if kind in ("syntax", "assert"):
        if "ok" in by_type and "end" in by_type:
            return verdict("passed")
        return verdict("failed", "exited before the tests finished (status %s)%s" % (
            exit_status, (": " + diag_text[-300:]) if diag_text else ""))
    n = job["inputs_len"]
    if "end" not in by_type or len(outs) < n:
        return verdict("failed", "exited after %d of %d tests (status %s)" % (len(outs), n, exit_status))
    if kind == "stdio":
        if expected is None:
            return verdict("passed", None, outputs=[outs[i]["stdout"] for i in range(n)])
        for i in range(n):
            m = outs[i]
            if m.get("err"):
                return verdict("failed", "test %d: %s" % (i, m["err"]))
            ok, why = stdio_matches(m.get("stdout", ""), expected[i])
            if not ok:
                return verdict("failed", "test %d: %s" % (i, why))
        return verdict("passed")
    # kind == "io"
    entry, mbpp, atol = job.get("entry_point"), job.get("mbpp_oracles", True), float(job.get("atol") or 0)
    if expected is None:
        values = []
        for i in range(n):
            if "err" in outs[i]:
                return verdict("error", "reference failed on test %d: %s" % (i, outs[i]["err"]))
            v = outs[i]["v"]
            if mbpp and entry in MBPP_OUTPUT_NOT_NONE:
                v = untag(v) is not None
            values.append(v)
        return verdict("passed", None, outputs=values)
    inputs = untag(job["inputs"])
    for i in range(n):
        m = outs[i]
        if "err" in m:
            return verdict("failed", "test %d raised %s" % (i, m["err"]))
        out = untag(m["v"])
        try:
            ok = io_output_matches(out, expected[i], inputs[i], entry, atol, mbpp)
        except BaseException as e:
            ok = False
        if not ok:
            return verdict("failed", "test %d: got %s, expected %s" % (
                i, _clip(repr(out)), _clip(repr(expected[i]))))
    return verdict("passed")


def _clip(s, n=120):
    return s if len(s) <= n else s[:n] + "..."


def main(jobdir):
    with open(os.path.join(jobdir, "job.json"), "rb") as f:
        job = loads(f.read())
    expected_path = os.path.join(jobdir, "expected.json")
    # Opened now (the private /tmp will hide it) and read only after the worker exists, which never has it.
    expected_fd = os.open(expected_path, os.O_RDONLY) if os.path.exists(expected_path) else None
    if job["kind"] in ("io", "stdio"):
        job["inputs_len"] = len(job["inputs"])
    label = isolate(job)
    own_ns = label != "none"
    uid = job.get("uid") if os.geteuid() == 0 else None
    workdir = "/tmp/work" if own_ns else os.path.join(jobdir, "work")
    res_r, res_w = os.pipe()
    out_r, out_w = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            if expected_fd is not None:
                os.close(expected_fd)
            os.close(res_r)
            os.close(out_r)
            run_init(job, res_w, out_w, workdir, uid, own_ns)
        finally:
            os._exit(4)
    os.close(res_w)
    os.close(out_w)
    res, diag, timed_out, overflow, exit_status = collect(
        job, pid, res_r, out_r, start + job["limits"]["wall"], own_ns)
    expected = None
    if expected_fd is not None:
        with os.fdopen(expected_fd, "rb") as f:
            raw = f.read()
        expected = decode(raw) if job["kind"] == "io" else loads(raw)
    messages = []
    for line in res.split(b"\n"):
        if line.strip():
            try:
                m = loads(line)
                if isinstance(m, dict):
                    messages.append(m)
            except ValueError:
                pass
    v = judge(job, expected, messages, diag, timed_out, overflow, exit_status)
    v["isolation"] = label + ("+uid" if uid is not None else "")
    v["elapsed"] = round(time.monotonic() - start, 4)
    # CPU time of init and the worker (each waited for by its parent, so both roll up here): unlike the wall clock it
    # barely depends on how busy the machine is, so graders can base time limits on a reference run's CPU time.
    import resource
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    v["cpu"] = round(used.ru_utime + used.ru_stime, 4)
    sys.stdout.write(dumps(v, ascii_only=True) + "\n")
    sys.stdout.flush()


# ---------------------------------------------------------------- zygote

def kill_tree(pid):
    """SIGKILL to pid and every descendant (found through /proc), deepest first. The zygote's backstop and its
    answer to a cancelled job, for a launcher that did not end within its wall limit plus 10 s."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry, "rb") as f:
                    stat = f.read()
                ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError):
                pass
    order, todo = [], [pid]
    while todo:
        p = todo.pop()
        order.append(p)
        todo.extend(children.get(p, ()))
    for p in reversed(order):
        try:
            os.kill(p, SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def serve():
    """Zygote mode (`--serve`): started once per .NET process, it forks one launcher per job, which then does exactly
    what a freshly started launcher does (main), so a sample no longer pays for the interpreter's start-up.
    Commands on stdin, one per line: "<id> <wall seconds> <jobdir>" runs a job, "k <id>" kills one. When a job's
    launcher has exited, the zygote answers "<id> <exit code> <b if the backstop killed it, else ->" on stdout; the launcher's output (the verdict line, or a
    traceback) is in <jobdir>/launcher.out. The zygote never reads a job's files or output, so nothing of one sample
    (not even another sample's verdict) is in the memory the next launcher, and so its worker, inherits."""
    import resource   # the launcher imports it at the end of every job; imported here once
    libc()            # ctypes and the C library, which every launcher needs, loaded once and inherited by fork
    jobs = {}         # pidfd -> [id, pid, backstop deadline, killed by the backstop]
    pending, accepting = b"", True
    while accepting or jobs:
        now = time.monotonic()
        for job in jobs.values():
            if now >= job[2]:
                kill_tree(job[1])
                job[2], job[3] = now + 3600, True
        wait = min([j[2] for j in jobs.values()], default=now + 3600) - now
        watch = list(jobs) + ([0] if accepting else [])
        ready, _, _ = select.select(watch, [], [], max(0.0, wait))
        for fd in ready:
            if fd != 0:
                job = jobs.pop(fd)
                os.close(fd)
                _, status = os.waitpid(job[1], 0)
                os.write(1, ("%s %d %s\n" % (job[0], os.waitstatus_to_exitcode(status), "b" if job[3] else "-")).encode())
                continue
            chunk = os.read(0, 1 << 16)
            if not chunk:
                accepting = False
                continue
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                parts = line.decode().split(" ", 2)
                if parts[0] == "k":   # rare (a cancelled job): a scan of the jobs in flight is enough
                    for job in jobs.values():
                        if job[0] == parts[1]:
                            kill_tree(job[1])
                    continue
                job_id, wall, jobdir = parts
                pid = os.fork()
                if pid == 0:
                    try:
                        die_with_parent()   # a zygote that dies takes its launchers with it
                        out = os.open(os.path.join(jobdir, "launcher.out"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                        devnull = os.open("/dev/null", os.O_RDONLY)
                        os.dup2(devnull, 0)
                        os.dup2(out, 1)
                        os.dup2(out, 2)
                        os.closerange(3, 1 << 16)   # the zygote's pidfds: never inherited by a job
                        os.chdir(jobdir)
                        main(jobdir)
                    except BaseException as e:
                        os.write(2, ("launcher: %s\n" % short_error(e)).encode("utf-8", "replace"))
                        os._exit(5)
                    os._exit(0)
                jobs[os.pidfd_open(pid)] = [job_id, pid, time.monotonic() + float(wall) + 10.0, False]


if sys.argv[1] == "--serve":
    serve()
else:
    main(sys.argv[1])
os._exit(0)   # skip interpreter teardown: the verdict is out

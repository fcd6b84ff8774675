package dev.runner.tools;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The seccomp program bubblewrap installs in the sandbox ({@code --seccomp FD}): {@code socket(AF_UNIX, ...)} fails
 * with {@code EACCES} and io_uring with {@code ENOSYS}; every other system call is allowed.
 *
 * <p>Why: a sandbox without network still sees every Unix socket on the file system it may read (the Docker daemon's,
 * an ssh or gpg agent's, a database's). Hiding the usual folders ({@code /run}, {@code /tmp}, credential stores)
 * covers the known places; refusing to create the socket covers the others ({@code $HOME}, {@code /var/lib}, the
 * workspace). {@code socketpair} stays allowed, as it reaches nothing outside. io_uring can create sockets without the
 * {@code socket} call, hence its refusal; programs that use it fall back to plain system calls on {@code ENOSYS}.
 * Abstract sockets are covered too, as no Unix socket can be made; that matters with {@code network_access}, where
 * the sandbox shares the host's network namespace and so its abstract sockets.
 *
 * <p>It costs one more exec per host start (the sh that opens the file descriptor bwrap reads it from) and a few
 * instructions per system call; the host starts once per run.
 *
 * <p>On x86-64 the x32 numbering (bit 30 set) is checked like the native one; 32-bit programs (i386, arm) may not
 * use {@code socketcall}, whose arguments a filter cannot read, so they have no sockets at all.
 */
final class SocketFilter {
  private static final int AF_UNIX = 1;
  private static final int EACCES = 13;
  private static final int ENOSYS = 38;
  /** io_uring_setup, io_uring_enter, io_uring_register: the same numbers on every architecture. */
  private static final int IO_URING_FIRST = 425;
  private static final int IO_URING_END = 428;
  private static final int X32_BIT = 0x40000000;

  private static final int RET_ALLOW = 0x7fff0000;
  private static final int RET_ERRNO = 0x00050000;

  /** struct seccomp_data: nr at 0, arch at 4, args[0] at 16 (its low half first: little-endian only). */
  private static final int OFFSET_NR = 0;
  private static final int OFFSET_ARCH = 4;
  private static final int OFFSET_ARG0 = 16;

  /** The system calls to check on one architecture (audit arch value and numbers from the kernel's tables). */
  private record Arch(int audit, int socket, int socketcall, boolean x32) {}

  /** Native and compat architecture for each {@code os.arch} the runner supports. */
  private static final Map<String, List<Arch>> ARCHES = Map.of(
      "amd64", List.of(new Arch(0xc000003e, 41, -1, true), new Arch(0x40000003, 359, 102, false)),
      "aarch64", List.of(new Arch(0xc00000b7, 198, -1, false), new Arch(0x40000028, 281, 102, false)));

  private SocketFilter() {}

  /** The program for {@code osArch} (a value of {@code os.arch}), or empty on an architecture it does not know. */
  static Optional<byte[]> forArch(String osArch) {
    List<Arch> arches = ARCHES.get("x86_64".equals(osArch) ? "amd64" : osArch);
    if (arches == null || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      return Optional.empty();
    }
    return Optional.of(program(arches));
  }

  private static byte[] program(List<Arch> arches) {
    Program p = new Program();
    p.load(OFFSET_ARCH);
    for (Arch a : arches) {
      p.jumpIfEqual(a.audit(), "arch" + a.audit(), null);
    }
    // a process cannot change its architecture to one the kernel does not run; refuse rather than guess
    p.ret(RET_ERRNO | ENOSYS);
    for (Arch a : arches) {
      p.label("arch" + a.audit());
      p.load(OFFSET_NR);
      if (a.x32()) {
        p.and(~X32_BIT);
      }
      if (a.socketcall() >= 0) {
        p.jumpIfEqual(a.socketcall(), "eacces", null);
      }
      p.jumpIfEqual(a.socket(), "socket", null);
      p.jumpIfAtLeast(IO_URING_FIRST, null, "allow");
      p.jumpIfAtLeast(IO_URING_END, "allow", "enosys");
    }
    p.label("socket");
    p.load(OFFSET_ARG0);
    p.jumpIfEqual(AF_UNIX, "eacces", "allow");
    p.label("eacces");
    p.ret(RET_ERRNO | EACCES);
    p.label("enosys");
    p.ret(RET_ERRNO | ENOSYS);
    p.label("allow");
    p.ret(RET_ALLOW);
    return p.assemble();
  }

  /** Classic BPF with forward jumps to labels; a null target means the next instruction. */
  private static final class Program {
    private static final short LD_W_ABS = 0x20;
    private static final short ALU_AND_K = 0x54;
    private static final short JEQ_K = 0x15;
    private static final short JGE_K = 0x35;
    private static final short RET_K = 0x06;

    private record Insn(short code, String ifTrue, String ifFalse, int k) {}

    private final List<Insn> code = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();

    void load(int offset) {
      code.add(new Insn(LD_W_ABS, null, null, offset));
    }

    void and(int mask) {
      code.add(new Insn(ALU_AND_K, null, null, mask));
    }

    void jumpIfEqual(int k, String ifTrue, String ifFalse) {
      code.add(new Insn(JEQ_K, ifTrue, ifFalse, k));
    }

    void jumpIfAtLeast(int k, String ifTrue, String ifFalse) {
      code.add(new Insn(JGE_K, ifTrue, ifFalse, k));
    }

    void ret(int value) {
      code.add(new Insn(RET_K, null, null, value));
    }

    void label(String name) {
      labels.putIfAbsent(name, code.size());
    }

    byte[] assemble() {
      ByteBuffer out = ByteBuffer.allocate(code.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < code.size(); i++) {
        Insn insn = code.get(i);
        out.putShort(insn.code());
        out.put(offset(i, insn.ifTrue()));
        out.put(offset(i, insn.ifFalse()));
        out.putInt(insn.k());
      }
      return out.array();
    }

    private byte offset(int from, String label) {
      if (label == null) {
        return 0;
      }
      Integer to = labels.get(label);
      if (to == null || to <= from || to - from - 1 > 255) {
        throw new IllegalStateException("bad jump from " + from + " to " + label);
      }
      return (byte) (to - from - 1);
    }
  }
}

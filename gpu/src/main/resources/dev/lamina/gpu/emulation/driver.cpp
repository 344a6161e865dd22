// ---------------------------------------------------------------------------------------------------------------
// A stand-in for the CUDA driver library (libcuda.so.1) that runs CUDA's execution model on the CPU. Loaded by
// the Java side before JCuda's native library, whose DT_NEEDED libcuda.so.1 it then satisfies (glibc matches a
// needed name against the sonames of loaded objects), so JCuda and the host code run unchanged.
//
//   g++ -std=c++20 -O2 -fPIC -shared -Wl,-soname,libcuda.so.1 -I$JAVA_HOME/include -I$JAVA_HOME/include/linux
//       driver.cpp -o libcuda.so.1 -lpthread -ldl
//
// Modules are shared objects compiled from the unchanged .cu with cuda_emulation.h force-included; the image
// handed to cuModuleLoadData is the text "lamina-emulated-module:/abs/path/Module.so". A launch runs the grid
// block by block on worker threads; a block's threads are fibers on one worker, switched at __syncthreads.
// Device memory is host memory with guard pages; a kernel's access outside every allocation is caught (SIGSEGV)
// and reported as CUDA_ERROR_ILLEGAL_ADDRESS with the kernel, the thread and the address. Inside an allocation,
// the host side may mark guard ranges between the regions it lays out (EmulatorControl.guard): they hold a canary
// that every launch must leave intact.
//
// Parts, in order: CUDA types and errors; device memory; guards between regions; fibers; the block scheduler; workers and launches; the
// fault handler; modules; the stream, graphs and commands; the race check; the cu* entry points; the JNI control
// (dev.lamina.gpu.emulation.EmulatorControl); stubs for the cu* functions JCuda imports that are not emulated.
// ---------------------------------------------------------------------------------------------------------------

#include <dlfcn.h>
#include <jni.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#define LAMINA_EXPORT extern "C" __attribute__((visibility("default")))

// ---- CUDA types and errors (the driver API's ABI; no cuda.h needed) ---------------------------------------------

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;

enum : CUresult {
    CUDA_SUCCESS = 0,
    CUDA_ERROR_INVALID_VALUE = 1,
    CUDA_ERROR_OUT_OF_MEMORY = 2,
    CUDA_ERROR_NOT_INITIALIZED = 3,
    CUDA_ERROR_INVALID_DEVICE = 101,
    CUDA_ERROR_INVALID_IMAGE = 200,
    CUDA_ERROR_INVALID_CONTEXT = 201,
    CUDA_ERROR_INVALID_HANDLE = 400,
    CUDA_ERROR_NOT_FOUND = 500,
    CUDA_ERROR_ILLEGAL_ADDRESS = 700,
    CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES = 701,
    CUDA_ERROR_LAUNCH_FAILED = 719,
    CUDA_ERROR_NOT_SUPPORTED = 801,
    CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED = 900,
    CUDA_ERROR_STREAM_CAPTURE_IMPLICIT = 906,
    CUDA_ERROR_UNKNOWN = 999,
};

namespace {

struct ErrorText {
    CUresult code;
    const char* name;
    const char* text;
};

const ErrorText ERROR_TEXTS[] = {
    {CUDA_SUCCESS, "CUDA_SUCCESS", "no error"},
    {CUDA_ERROR_INVALID_VALUE, "CUDA_ERROR_INVALID_VALUE", "invalid argument"},
    {CUDA_ERROR_OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"},
    {CUDA_ERROR_NOT_INITIALIZED, "CUDA_ERROR_NOT_INITIALIZED", "initialization error"},
    {CUDA_ERROR_INVALID_DEVICE, "CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal"},
    {CUDA_ERROR_INVALID_IMAGE, "CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid"},
    {CUDA_ERROR_INVALID_CONTEXT, "CUDA_ERROR_INVALID_CONTEXT", "invalid device context"},
    {CUDA_ERROR_INVALID_HANDLE, "CUDA_ERROR_INVALID_HANDLE", "invalid resource handle"},
    {CUDA_ERROR_NOT_FOUND, "CUDA_ERROR_NOT_FOUND", "named symbol not found"},
    {CUDA_ERROR_ILLEGAL_ADDRESS, "CUDA_ERROR_ILLEGAL_ADDRESS", "an illegal memory access was encountered"},
    {CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", "too many resources requested for launch"},
    {CUDA_ERROR_LAUNCH_FAILED, "CUDA_ERROR_LAUNCH_FAILED", "unspecified launch failure"},
    {CUDA_ERROR_NOT_SUPPORTED, "CUDA_ERROR_NOT_SUPPORTED", "operation not supported"},
    {CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED",
     "operation not permitted when stream is capturing"},
    {CUDA_ERROR_STREAM_CAPTURE_IMPLICIT, "CUDA_ERROR_STREAM_CAPTURE_IMPLICIT",
     "operation would make the legacy stream depend on a capturing blocking stream"},
    {CUDA_ERROR_UNKNOWN, "CUDA_ERROR_UNKNOWN", "unknown error"},
};

const ErrorText* error_text(CUresult code) {
    for (const ErrorText& e : ERROR_TEXTS) {
        if (e.code == code) {
            return &e;
        }
    }
    return nullptr;
}

// The last error's detail, per calling thread (cuGetErrorString gives it back for that code).
thread_local CUresult last_error_code = CUDA_SUCCESS;
thread_local std::string last_error_detail;
thread_local std::string last_error_string;  // what cuGetErrorString returned last, kept alive for the caller

CUresult fail(CUresult code, std::string detail) {
    last_error_code = code;
    last_error_detail = std::move(detail);
    return code;
}

std::string hex(uintptr_t value) {
    char buffer[32];
    snprintf(buffer, sizeof buffer, "0x%lx", (unsigned long) value);
    return buffer;
}

// ---- device memory: one mapping per allocation, guard pages on both sides ----------------------------------------

const size_t PAGE = (size_t) sysconf(_SC_PAGESIZE);

struct Allocation {
    uintptr_t mapping;      // start of the whole mapping (lower guard page)
    size_t mappingBytes;    // including both guard pages
    uintptr_t start;        // what cuMemAlloc returned: 16-byte aligned, its end close to the upper guard
    size_t bytes;
};

std::shared_mutex allocations_lock;
// By start. Never destroyed (nor are the pool and the streams): a JVM thread may still call in while exit() runs
// the static destructors.
std::map<uintptr_t, Allocation>& allocations = *new std::map<uintptr_t, Allocation>();

size_t round_up(size_t value, size_t unit) { return (value + unit - 1) / unit * unit; }

CUresult allocate(size_t bytes, CUdeviceptr* result) {
    if (result == nullptr || bytes == 0) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuMemAlloc: expected a result pointer and a size above 0, found " +
                                                  std::to_string(bytes) + " bytes");
    }
    size_t usable = round_up(bytes, PAGE);
    size_t total = usable + 2 * PAGE;
    void* mapping = mmap(nullptr, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mapping == MAP_FAILED) {
        return fail(CUDA_ERROR_OUT_OF_MEMORY, "cuMemAlloc: no address space for " + std::to_string(bytes) + " bytes");
    }
    uintptr_t base = (uintptr_t) mapping;
    if (mprotect((void*) (base + PAGE), usable, PROT_READ | PROT_WRITE) != 0) {
        munmap(mapping, total);
        return fail(CUDA_ERROR_OUT_OF_MEMORY, "cuMemAlloc: cannot commit " + std::to_string(bytes) + " bytes");
    }
    // 0xFF bytes read as NaN floats: a kernel that reads what nobody wrote shows it, as a device's garbage would
    memset((void*) (base + PAGE), 0xFF, usable);
    uintptr_t start = base + PAGE + usable - round_up(bytes, 16);
    {
        std::unique_lock<std::shared_mutex> lock(allocations_lock);
        allocations[start] = Allocation{base, total, start, bytes};
    }
    *result = start;
    return CUDA_SUCCESS;
}

void forget_guards(uintptr_t start, size_t bytes);

CUresult release(CUdeviceptr pointer) {
    Allocation a;
    {
        std::unique_lock<std::shared_mutex> lock(allocations_lock);
        auto found = allocations.find((uintptr_t) pointer);
        if (found == allocations.end()) {
            return fail(CUDA_ERROR_INVALID_VALUE, "cuMemFree: " + hex(pointer) + " is not the start of an allocation");
        }
        a = found->second;
        allocations.erase(found);
        forget_guards(a.start, a.bytes);
    }
    munmap((void*) a.mapping, a.mappingBytes);
    return CUDA_SUCCESS;
}

// The allocation whose mapping (guards included) holds address, if any; the caller holds allocations_lock.
const Allocation* mapping_holding(uintptr_t address) {
    auto after = allocations.upper_bound(address);
    if (after != allocations.end() && address >= after->second.mapping) {
        return &after->second;  // in the lower guard (or slack) of the next allocation
    }
    if (after == allocations.begin()) {
        return nullptr;
    }
    const Allocation& a = std::prev(after)->second;
    return address < a.mapping + a.mappingBytes ? &a : nullptr;
}

// Copies and memsets must stay inside one allocation.
CUresult check_range(const char* call, const char* role, CUdeviceptr pointer, size_t bytes) {
    std::shared_lock<std::shared_mutex> lock(allocations_lock);
    uintptr_t p = (uintptr_t) pointer;
    const Allocation* a = mapping_holding(p);
    if (a != nullptr && p >= a->start && bytes <= a->bytes && p - a->start <= a->bytes - bytes) {
        return CUDA_SUCCESS;
    }
    std::string detail = std::string(call) + ": " + role + " " + hex(p) + " + " + std::to_string(bytes) +
                         " bytes is not inside one allocation";
    if (a != nullptr) {
        detail += " (the allocation at " + hex(a->start) + " holds " + std::to_string(a->bytes) + " bytes)";
    }
    return fail(CUDA_ERROR_INVALID_VALUE, detail);
}

// The bytes of an allocation's pages that are not its own (before its start, and after its end up to the 16-byte
// alignment) cannot be guarded by a page; they keep the 0xFF fill, and a launch that changed them wrote out of
// bounds. Empty when all are intact; the caller holds allocations_lock.
std::string slack_damage() {
    for (const auto& [start, a] : allocations) {
        unsigned char* first = (unsigned char*) (a.mapping + PAGE);
        unsigned char* end = (unsigned char*) (a.mapping + a.mappingBytes - PAGE);
        std::string damage;
        for (unsigned char* p = first; p < (unsigned char*) a.start && damage.empty(); p++) {
            if (*p != 0xFF) {
                damage = std::to_string(a.start - (uintptr_t) p) + " bytes before the start";
            }
        }
        for (unsigned char* p = (unsigned char*) (a.start + a.bytes); p < end && damage.empty(); p++) {
            if (*p != 0xFF) {
                damage = std::to_string((uintptr_t) p - (a.start + a.bytes)) + " bytes after the end";
            }
        }
        if (!damage.empty()) {
            // repaired, so that the next launch is judged on its own
            memset(first, 0xFF, a.start - (uintptr_t) first);
            memset((void*) (a.start + a.bytes), 0xFF, (uintptr_t) end - (a.start + a.bytes));
            return damage + " of the allocation at " + hex(a.start) + " of " + std::to_string(a.bytes) + " bytes";
        }
    }
    return "";
}

// Where address lies relative to the allocations, for an illegal access's message; the caller holds
// allocations_lock.
std::string describe_address_locked(uintptr_t address, size_t* nearEnd = nullptr) {
    const Allocation* a = mapping_holding(address);
    if (a == nullptr) {
        return "which is in no allocation";
    }
    std::string of = " the allocation at " + hex(a->start) + " of " + std::to_string(a->bytes) + " bytes";
    if (address < a->start) {
        return std::to_string(a->start - address) + " bytes before the start of" + of;
    }
    if (address >= a->start + a->bytes) {
        if (nearEnd != nullptr) {
            *nearEnd = address - (a->start + a->bytes);
        }
        return std::to_string(address - (a->start + a->bytes)) + " bytes after the end of" + of;
    }
    return "inside" + of;
}

std::string describe_address(uintptr_t address, size_t* nearEnd = nullptr) {
    std::shared_lock<std::shared_mutex> lock(allocations_lock);
    return describe_address_locked(address, nearEnd);
}

// ---- guards between regions: ranges inside an allocation that no kernel may write --------------------------------

// Every 32-bit word of a guard holds this: a signalling NaN, so a kernel that reads it computes NaNs, and one that
// writes any computed float (a quiet NaN included) changes it.
const uint32_t CANARY = 0x7FA5A5A5u;

struct Guard {
    uintptr_t start;
    size_t bytes;
};

// By start, under allocations_lock (unique to add or remove, shared to check or re-fill). Never destroyed, as the
// allocations.
std::map<uintptr_t, Guard>& guards = *new std::map<uintptr_t, Guard>();

void fill_canary(const Guard& g) { std::fill((uint32_t*) g.start, (uint32_t*) (g.start + g.bytes), CANARY); }

// The guards that [start, start + bytes) overlaps, in address order; the caller holds allocations_lock.
std::vector<Guard> guards_overlapping(uintptr_t start, size_t bytes) {
    std::vector<Guard> found;
    auto g = guards.upper_bound(start);
    if (g != guards.begin()) {
        g = std::prev(g);  // one that starts before may reach into the range
    }
    for (; g != guards.end() && g->first < start + bytes; ++g) {
        if (g->second.start + g->second.bytes > start) {
            found.push_back(g->second);
        }
    }
    return found;
}

// An allocation's guards go with it; the caller holds allocations_lock uniquely.
void forget_guards(uintptr_t start, size_t bytes) {
    for (const Guard& g : guards_overlapping(start, bytes)) {
        guards.erase(g.start);
    }
}

// Adds a guard and fills it; empty, or why it cannot be one.
std::string add_guard(uintptr_t start, size_t bytes) {
    std::unique_lock<std::shared_mutex> lock(allocations_lock);
    if (bytes == 0 || start % 4 != 0 || bytes % 4 != 0) {
        return "expected a guard of 4-byte words (a 4-byte aligned address, a size above 0 and a multiple of 4), "
               "found " + hex(start) + " + " + std::to_string(bytes) + " bytes";
    }
    const Allocation* a = mapping_holding(start);
    if (a == nullptr || start < a->start || bytes > a->bytes || start - a->start > a->bytes - bytes) {
        return "expected a guard inside one allocation, found " + hex(start) + " + " + std::to_string(bytes) +
               " bytes, " + describe_address_locked(start);
    }
    std::vector<Guard> overlapping = guards_overlapping(start, bytes);
    if (!overlapping.empty()) {
        return "the guard " + hex(start) + " + " + std::to_string(bytes) + " bytes overlaps the guard " +
               hex(overlapping[0].start) + " + " + std::to_string(overlapping[0].bytes) + " bytes";
    }
    Guard g{start, bytes};
    guards[start] = g;
    fill_canary(g);
    return "";
}

// A host copy or memset may cover guards (a whole allocation cleared, a part moved to a larger one): they get their
// canary back rather than count as damaged.
void refill_guards(uintptr_t start, size_t bytes) {
    std::shared_lock<std::shared_mutex> lock(allocations_lock);
    for (const Guard& g : guards_overlapping(start, bytes)) {
        fill_canary(g);
    }
}

// What the last launch wrote into a guard, described, with every damaged guard repaired so that the next launch is
// judged on its own; empty when all are intact. Counted in whole 4-byte words: a float computed from the canary
// (p[n] += x one past the region) is a NaN that differs from it in one byte only. The caller holds allocations_lock.
std::string guard_damage() {
    std::string damage;
    for (const auto& [start, g] : guards) {
        const uint32_t* words = (const uint32_t*) g.start;
        size_t changed = 0;
        size_t first = 0;
        for (size_t w = 0; w < g.bytes / 4; w++) {
            if (words[w] != CANARY) {
                first = changed == 0 ? 4 * w : first;
                changed++;
            }
        }
        if (changed == 0) {
            continue;
        }
        if (damage.empty()) {
            const Allocation* a = mapping_holding(g.start);
            damage = std::to_string(4 * changed) + " bytes into the guard between regions at " + hex(g.start) + " (" +
                     std::to_string(first) + " bytes after the region that ends at " + hex(g.start) +
                     ", byte " + std::to_string(g.start - a->start) + " of the allocation at " + hex(a->start) +
                     " of " + std::to_string(a->bytes) + " bytes)";
        }
        fill_canary(g);
    }
    return damage;
}

}  // namespace

// ---- what a running kernel sees (read by the modules through cuda_emulation.h) -----------------------------------


// The same layouts as cuda_emulation.h's uint3 and dim3.
struct uint3 {
    unsigned int x, y, z;
};
struct dim3 {
    unsigned int x, y, z;
};

extern "C" {
__attribute__((visibility("default"))) __thread uint3 lamina_emulation_thread_idx;
__attribute__((visibility("default"))) __thread uint3 lamina_emulation_block_idx;
__attribute__((visibility("default"))) __thread dim3 lamina_emulation_block_dim;
__attribute__((visibility("default"))) __thread dim3 lamina_emulation_grid_dim;
__attribute__((visibility("default"))) __thread int lamina_emulation_used_atomics;
}

namespace {

// ---- fibers: a block's threads, each on its own small stack, switched cooperatively -----------------------------

const size_t FIBER_STACK = 64 * 1024;

#if defined(__x86_64__) && !defined(LAMINA_EMULATION_UCONTEXT)
// Saves the callee-saved registers and the stack pointer in *from, and resumes `to` (saved the same way). No
// syscall, unlike swapcontext, which saves the signal mask at every switch.
extern "C" void lamina_fiber_switch(void** from, void* to);
__asm__(
    ".text\n"
    ".p2align 4\n"
    ".type lamina_fiber_switch,@function\n"
    "lamina_fiber_switch:\n"
    "    pushq %rbp\n"
    "    pushq %rbx\n"
    "    pushq %r12\n"
    "    pushq %r13\n"
    "    pushq %r14\n"
    "    pushq %r15\n"
    "    subq $8, %rsp\n"
    "    stmxcsr (%rsp)\n"
    "    fnstcw 4(%rsp)\n"
    "    movq %rsp, (%rdi)\n"
    "    movq %rsi, %rsp\n"
    "    ldmxcsr (%rsp)\n"
    "    fldcw 4(%rsp)\n"
    "    addq $8, %rsp\n"
    "    popq %r15\n"
    "    popq %r14\n"
    "    popq %r13\n"
    "    popq %r12\n"
    "    popq %rbx\n"
    "    popq %rbp\n"
    "    ret\n"
    ".size lamina_fiber_switch, .-lamina_fiber_switch\n");

struct FiberContext {
    void* sp = nullptr;
};

// A fresh context that enters `entry` (which never returns) on the stack ending at `top`.
void fiber_prepare(FiberContext& context, char* top, void (*entry)()) {
    uintptr_t sp = (uintptr_t) top & ~(uintptr_t) 15;
    sp -= 8;  // as if `entry` had been called: rsp is 8 mod 16 at its first instruction
    *(uintptr_t*) sp = 0;
    sp -= 8;
    *(uintptr_t*) sp = (uintptr_t) entry;  // ret's target
    sp -= 6 * 8;                            // rbp, rbx, r12..r15
    memset((void*) sp, 0, 6 * 8);
    sp -= 8;  // mxcsr and the x87 control word: the current ones
    uint32_t mxcsr;
    uint16_t fpu;
    __asm__ __volatile__("stmxcsr %0" : "=m"(mxcsr));
    __asm__ __volatile__("fnstcw %0" : "=m"(fpu));
    memcpy((void*) sp, &mxcsr, 4);
    memcpy((void*) (sp + 4), &fpu, 2);
    context.sp = (void*) sp;
}

void fiber_switch(FiberContext& from, FiberContext& to) { lamina_fiber_switch(&from.sp, to.sp); }
#else
// Elsewhere: ucontext (a syscall per switch, but portable).
struct FiberContext {
    ucontext_t context;
};

void fiber_prepare(FiberContext& context, char* top, void (*entry)()) {
    getcontext(&context.context);
    context.context.uc_stack.ss_sp = top - FIBER_STACK;
    context.context.uc_stack.ss_size = FIBER_STACK;
    context.context.uc_link = nullptr;
    makecontext(&context.context, entry, 0);
}

void fiber_switch(FiberContext& from, FiberContext& to) { swapcontext(&from.context, &to.context); }
#endif

// The stacks of one worker's fibers: mapped once, grown when a block has more threads, each with a guard page
// below it (stacks grow down).
class FiberStacks {
  public:
    ~FiberStacks() { unmap(); }

    char* top(unsigned int thread) { return base + (size_t) (thread + 1) * (FIBER_STACK + PAGE); }

    bool ensure(unsigned int threads) {
        if (threads <= count) {
            return true;
        }
        unmap();
        size_t bytes = (size_t) threads * (FIBER_STACK + PAGE);
        void* mapping = mmap(nullptr, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (mapping == MAP_FAILED) {
            return false;
        }
        base = (char*) mapping;
        count = threads;
        for (unsigned int t = 0; t < threads; t++) {
            mprotect(top(t) - FIBER_STACK, FIBER_STACK, PROT_READ | PROT_WRITE);
        }
        return true;
    }

    // Whether address is in one of the guard pages: a fiber overflowed its stack.
    bool in_guard(uintptr_t address) const {
        if (base == nullptr || address < (uintptr_t) base) {
            return false;
        }
        size_t offset = address - (uintptr_t) base;
        return offset < (size_t) count * (FIBER_STACK + PAGE) && offset % (FIBER_STACK + PAGE) < PAGE;
    }

  private:
    void unmap() {
        if (base != nullptr) {
            munmap(base, (size_t) count * (FIBER_STACK + PAGE));
            base = nullptr;
            count = 0;
        }
    }

    char* base = nullptr;
    unsigned int count = 0;
};

// ---- the block scheduler ----------------------------------------------------------------------------------------

typedef void (*Invoker)(void** parameters);

// The order in which a block's threads run between two barriers (EmulatorControl.setThreadOrder).
struct ThreadOrder {
    int kind = 0;  // 0: index order, 1: reversed, 2: shuffled by seed, a new permutation per barrier phase
    uint64_t seed = 0;

    // The other order the race check compares with.
    ThreadOrder other() const {
        return kind == 2 ? ThreadOrder{2, seed ^ 0x9E3779B97F4A7C15ULL} : ThreadOrder{kind == 0 ? 1 : 0, seed};
    }
};

uint64_t splitmix(uint64_t& state) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Filled by the fault handler (async-signal-safe: plain stores), read after it jumps back.
struct Fault {
    uintptr_t address;
    bool write;
    bool stackOverflow;
};

enum class FiberState { READY, AT_BARRIER, DONE };

// One worker thread: runs one block at a time, its threads as fibers.
struct Worker {
    FiberStacks stacks;
    FiberContext scheduler;
    std::vector<FiberContext> fibers;
    std::vector<FiberState> states;
    std::vector<unsigned int> order;
    std::vector<unsigned int> stackOf;     // the stack each started thread runs on
    std::vector<unsigned int> freeStacks;  // stacks of threads that returned, for threads not started yet
    Invoker invoke = nullptr;
    void** parameters = nullptr;
    unsigned int current = 0;   // the thread running now
    unsigned int position = 0;  // the next place in `order` the scheduler (or a returning thread) starts
    int phase = 0;
    dim3 block{1, 1, 1};
    // fault handling (see on_fault)
    pthread_t thread;
    volatile sig_atomic_t inKernel = 0;
    sigjmp_buf faultJump;
    Fault fault;
    std::vector<char> signalStack;
};

// Workers by OS thread, for the fault handler (no TLS there: a JVM thread's first touch of this library's TLS
// could allocate inside a signal handler).
const int MAX_WORKERS = 512;
std::atomic<Worker*> worker_slots[MAX_WORKERS];

thread_local Worker* current_worker = nullptr;

Worker* worker_of_this_thread_signal_safe() {
    pthread_t self = pthread_self();
    for (int i = 0; i < MAX_WORKERS; i++) {
        Worker* w = worker_slots[i].load(std::memory_order_acquire);
        if (w != nullptr && pthread_equal(w->thread, self)) {
            return w;
        }
    }
    return nullptr;
}

void set_thread_index(Worker& w, unsigned int t) {
    w.current = t;
    lamina_emulation_thread_idx = uint3{t % w.block.x, (t / w.block.x) % w.block.y, t / (w.block.x * w.block.y)};
}

// A fiber's life. Before the first barrier, a thread that returns starts the next one of the order itself, on the
// same stack: a block without barriers then costs one switch in and one out, not two per thread.
[[noreturn]] void fiber_entry() {
    Worker* w = current_worker;
    for (;;) {
        w->invoke(w->parameters);
        w->states[w->current] = FiberState::DONE;
        if (w->phase != 0 || w->position >= w->order.size()) {
            break;
        }
        unsigned int next = w->order[w->position++];
        w->stackOf[next] = w->stackOf[w->current];
        set_thread_index(*w, next);
    }
    fiber_switch(w->fibers[w->current], w->scheduler);
    __builtin_unreachable();
}

}  // namespace

LAMINA_EXPORT void lamina_emulation_syncthreads(void) {
    Worker* w = current_worker;
    if (w == nullptr) {
        return;  // not in an emulated launch
    }
    w->states[w->current] = FiberState::AT_BARRIER;
    fiber_switch(w->fibers[w->current], w->scheduler);
}

namespace {

// The outcome of one block.
struct BlockResult {
    CUresult code = CUDA_SUCCESS;
    std::string detail;
};

std::string index_text(const uint3& i) {
    return "(" + std::to_string(i.x) + "," + std::to_string(i.y) + (i.z != 0 ? "," + std::to_string(i.z) : "") + ")";
}

// Runs every thread of the block to its end, barrier phase by barrier phase; all state is the worker's (the fault
// handler jumps back into run_block_guarded, not here).
BlockResult run_block_phases(Worker& w, const dim3& block, const ThreadOrder& order, uint64_t blockNumber,
                             const char* kernel) {
    unsigned int threads = block.x * block.y * block.z;
    w.block = block;
    w.fibers.resize(threads);
    w.states.assign(threads, FiberState::READY);
    w.order.resize(threads);
    w.stackOf.resize(threads);
    // A thread gets its stack when it starts, and gives it back when it returns: a block without barriers runs
    // every thread on the same (cache-warm) stack; one with barriers holds a stack per waiting thread.
    w.freeStacks.resize(threads);
    for (unsigned int t = 0; t < threads; t++) {
        w.freeStacks[t] = threads - 1 - t;  // popped from the back: stack 0 first
    }
    uint64_t random = order.seed ^ (blockNumber * 0xD1B54A32D192ED03ULL);
    for (int phase = 0;; phase++) {
        for (unsigned int t = 0; t < threads; t++) {
            w.order[t] = order.kind == 1 ? threads - 1 - t : t;
        }
        if (order.kind == 2) {
            for (unsigned int t = threads - 1; t > 0; t--) {
                std::swap(w.order[t], w.order[splitmix(random) % (t + 1)]);
            }
        }
        w.phase = phase;
        w.position = 0;
        while (w.position < threads) {
            unsigned int t = w.order[w.position++];
            if (phase == 0) {
                w.stackOf[t] = w.freeStacks.back();
                w.freeStacks.pop_back();
                fiber_prepare(w.fibers[t], w.stacks.top(w.stackOf[t]), fiber_entry);
            }
            set_thread_index(w, t);
            fiber_switch(w.scheduler, w.fibers[t]);
            // back when the running thread (t or one it started) waits at a barrier or returned with none left
            if (w.states[w.current] == FiberState::DONE) {
                w.freeStacks.push_back(w.stackOf[w.current]);
            }
        }
        unsigned int waiting = 0;
        unsigned int done = 0;
        for (FiberState s : w.states) {
            waiting += s == FiberState::AT_BARRIER;
            done += s == FiberState::DONE;
        }
        if (done == threads) {
            return {};
        }
        if (waiting < threads) {
            // on a device this hangs or corrupts: only some threads of the block reached __syncthreads
            unsigned int returned = 0;
            while (w.states[returned] != FiberState::DONE) {
                returned++;
            }
            return {CUDA_ERROR_LAUNCH_FAILED,
                    std::string("kernel ") + kernel + " (block " + index_text(lamina_emulation_block_idx) + "): " +
                        std::to_string(waiting) + " of its " + std::to_string(threads) +
                        " threads wait at __syncthreads() (barrier " + std::to_string(phase + 1) +
                        ") while the others returned, thread " +
                        index_text(uint3{returned % block.x, (returned / block.x) % block.y, 0}) +
                        " among them: a barrier every thread of a block must reach"};
        }
        std::fill(w.states.begin(), w.states.end(), FiberState::READY);
    }
}

// One block; a fault in it jumps back here (sigsetjmp) and ends it with the fault's description.
BlockResult run_block_guarded(Worker& w, const dim3& block, const ThreadOrder& order, uint64_t blockNumber,
                              const char* kernel) {
    if (sigsetjmp(w.faultJump, 1) != 0) {
        w.inKernel = 0;
        const Fault& f = w.fault;
        uint3 thread{w.current % block.x, (w.current / block.x) % block.y, w.current / (block.x * block.y)};
        std::string where = "kernel " + std::string(kernel) + " (block " + index_text(lamina_emulation_block_idx) +
                            ", thread " + index_text(thread) + ")";
        if (f.stackOverflow) {
            return {CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES,
                    where + " overflowed its emulated thread's stack of " + std::to_string(FIBER_STACK) + " bytes"};
        }
        return {CUDA_ERROR_ILLEGAL_ADDRESS, where + (f.write ? " wrote" : " read") + " address " + hex(f.address) +
                                                ", " + describe_address(f.address)};
    }
    w.inKernel = 1;
    BlockResult result = run_block_phases(w, block, order, blockNumber, kernel);
    w.inKernel = 0;
    return result;
}

// ---- workers and launches -----------------------------------------------------------------------------------------

// What one launch runs: the kernel, its parameters (copied), its shape.
struct KernelFunction {
    std::string name;
    Invoker invoke;
    std::vector<int> sizes;
    std::vector<int> aligns;
};

struct Launch {
    const KernelFunction* function;
    dim3 grid;
    dim3 block;
    void** parameters;
    ThreadOrder order;
    bool blocksReversed = false;  // the race check's second run also takes the blocks from the last
    std::atomic<uint64_t> nextBlock{0};
    std::atomic<bool> failed{false};
    std::atomic<bool> usedAtomics{false};
    std::mutex errorLock;
    BlockResult error;  // the first block that failed
};

void block_index_of(uint64_t number, const dim3& grid, uint3& index) {
    index.x = (unsigned int) (number % grid.x);
    index.y = (unsigned int) ((number / grid.x) % grid.y);
    index.z = (unsigned int) (number / ((uint64_t) grid.x * grid.y));
}

// Takes blocks of the launch until none is left (or one failed).
void run_blocks(Worker& w, Launch& launch) {
    uint64_t total = (uint64_t) launch.grid.x * launch.grid.y * launch.grid.z;
    lamina_emulation_block_dim = launch.block;
    lamina_emulation_grid_dim = launch.grid;
    w.invoke = launch.function->invoke;
    w.parameters = launch.parameters;
    for (;;) {
        uint64_t taken = launch.nextBlock.fetch_add(1);
        if (taken >= total || launch.failed.load(std::memory_order_relaxed)) {
            return;
        }
        uint64_t number = launch.blocksReversed ? total - 1 - taken : taken;
        block_index_of(number, launch.grid, lamina_emulation_block_idx);
        lamina_emulation_used_atomics = 0;
        BlockResult result = run_block_guarded(w, launch.block, launch.order, number, launch.function->name.c_str());
        if (lamina_emulation_used_atomics) {
            launch.usedAtomics.store(true, std::memory_order_relaxed);
        }
        if (result.code != CUDA_SUCCESS) {
            std::lock_guard<std::mutex> lock(launch.errorLock);
            if (!launch.failed.exchange(true)) {
                launch.error = result;
            }
            return;
        }
    }
}

// The worker threads; a launch wakes them all and waits until each has run out of blocks.
class WorkerPool {
  public:
    explicit WorkerPool(unsigned int count) {
        for (unsigned int i = 0; i < count; i++) {
            workers.push_back(std::make_unique<Worker>());
        }
        for (unsigned int i = 0; i < count; i++) {
            threads.emplace_back([this, i] { serve(i); });
        }
        std::unique_lock<std::mutex> lock(mutex);
        ready.wait(lock, [&] { return started == workers.size(); });
    }

    ~WorkerPool() {
        {
            std::lock_guard<std::mutex> lock(mutex);
            stopping = true;
        }
        wake.notify_all();
        for (std::thread& t : threads) {
            t.join();
        }
    }

    unsigned int size() const { return (unsigned int) workers.size(); }

    // Ensures every worker has stacks for blockThreads fibers, then runs the launch to its end.
    BlockResult run(Launch& launch, unsigned int blockThreads) {
        for (auto& w : workers) {
            if (!w->stacks.ensure(blockThreads)) {
                return {CUDA_ERROR_OUT_OF_MEMORY, "no address space for " + std::to_string(blockThreads) +
                                                      " emulated threads' stacks"};
            }
        }
        std::unique_lock<std::mutex> lock(mutex);
        current = &launch;
        // no more workers than blocks: a small launch does not wait for every worker to wake
        uint64_t blocks = (uint64_t) launch.grid.x * launch.grid.y * launch.grid.z;
        wanted = (unsigned int) std::min<uint64_t>(workers.size(), blocks);
        busy = wanted;
        generation++;
        wake.notify_all();
        ready.wait(lock, [&] { return busy == 0; });
        current = nullptr;
        return launch.failed ? launch.error : BlockResult{};
    }

  private:
    void serve(unsigned int index) {
        Worker& w = *workers[index];
        w.thread = pthread_self();
        current_worker = &w;
        // the fault handler runs on its own stack, so that a fiber's stack overflow can still be reported
        w.signalStack.resize(64 * 1024);
        stack_t alternate{};
        alternate.ss_sp = w.signalStack.data();
        alternate.ss_size = w.signalStack.size();
        sigaltstack(&alternate, nullptr);
        register_slot(&w);
        uint64_t seen = 0;
        std::unique_lock<std::mutex> lock(mutex);
        started++;
        ready.notify_all();
        for (;;) {
            wake.wait(lock, [&] { return stopping || generation != seen; });
            if (stopping) {
                break;
            }
            seen = generation;
            if (index >= wanted) {
                continue;
            }
            Launch* launch = current;
            lock.unlock();
            run_blocks(w, *launch);
            lock.lock();
            if (--busy == 0) {
                ready.notify_all();
            }
        }
        lock.unlock();
        unregister_slot(&w);
        stack_t off{};
        off.ss_flags = SS_DISABLE;
        sigaltstack(&off, nullptr);
    }

    static void register_slot(Worker* w) {
        for (auto& slot : worker_slots) {
            Worker* empty = nullptr;
            if (slot.compare_exchange_strong(empty, w)) {
                return;
            }
        }
    }

    static void unregister_slot(Worker* w) {
        for (auto& slot : worker_slots) {
            Worker* mine = w;
            if (slot.compare_exchange_strong(mine, nullptr)) {
                return;
            }
        }
    }

    std::vector<std::unique_ptr<Worker>> workers;
    std::vector<std::thread> threads;
    std::mutex mutex;
    std::condition_variable wake;
    std::condition_variable ready;
    Launch* current = nullptr;
    unsigned int busy = 0;
    unsigned int wanted = 0;
    unsigned int started = 0;
    uint64_t generation = 0;
    bool stopping = false;
};

// Settings of EmulatorControl, and the pool they shape.
std::mutex launch_lock;  // one launch at a time: the single in-order stream
WorkerPool* pool = nullptr;
unsigned int worker_count = std::max(1u, std::min<unsigned int>(std::thread::hardware_concurrency(), MAX_WORKERS));
ThreadOrder thread_order;
std::atomic<bool> race_check{false};
std::atomic<long long> launch_count{0};

// ---- the fault handler --------------------------------------------------------------------------------------------

struct sigaction previous_segv;

// An emulated kernel's access outside every allocation (or its fiber's stack overflow) ends its block: record the
// fault, jump back to the worker. Any other fault is not ours: pass it on to the handler before us (the JVM's,
// which uses SIGSEGV for null checks, stack banging and safepoints).
void on_fault(int signal, siginfo_t* info, void* context) {
    Worker* w = worker_of_this_thread_signal_safe();
    if (w != nullptr && w->inKernel) {
        uintptr_t address = (uintptr_t) info->si_addr;
        w->fault.address = address;
#if defined(__x86_64__)
        w->fault.write = (((ucontext_t*) context)->uc_mcontext.gregs[REG_ERR] & 2) != 0;
#else
        w->fault.write = false;
#endif
        w->fault.stackOverflow = w->stacks.in_guard(address);
        w->inKernel = 0;
        siglongjmp(w->faultJump, 1);
    }
    if (previous_segv.sa_flags & SA_SIGINFO) {
        previous_segv.sa_sigaction(signal, info, context);
    } else if (previous_segv.sa_handler == SIG_DFL) {
        // no one before us: die of it, as without this library
        struct sigaction fallback{};
        fallback.sa_handler = SIG_DFL;
        sigaction(signal, &fallback, nullptr);
        raise(signal);
    } else if (previous_segv.sa_handler != SIG_IGN) {
        previous_segv.sa_handler(signal);
    }
}

std::once_flag fault_handler_installed;

void install_fault_handler() {
    std::call_once(fault_handler_installed, [] {
        struct sigaction ours{};
        sigaction(SIGSEGV, nullptr, &previous_segv);
        ours.sa_sigaction = on_fault;
        ours.sa_mask = previous_segv.sa_mask;
        ours.sa_flags = (previous_segv.sa_flags | SA_SIGINFO | SA_ONSTACK) & ~SA_RESETHAND;
        sigaction(SIGSEGV, &ours, nullptr);
    });
}

WorkerPool& workers() {
    if (pool == nullptr || pool->size() != worker_count) {
        delete pool;
        pool = new WorkerPool(worker_count);
    }
    return *pool;
}

// ---- the race check -------------------------------------------------------------------------------------------------

std::mutex race_lock;
std::vector<std::string> race_findings;  // one line per kernel whose result depends on its threads' order
std::set<std::string> race_reported;     // kernels already in race_findings or in race_unchecked
std::vector<std::string> race_unchecked; // kernels that used atomics

// Every allocation's bytes, in address order.
struct Snapshot {
    std::vector<Allocation> allocations;
    std::vector<std::vector<unsigned char>> bytes;
};

Snapshot take_snapshot() {
    std::shared_lock<std::shared_mutex> lock(allocations_lock);
    Snapshot s;
    for (const auto& [start, a] : allocations) {
        s.allocations.push_back(a);
        s.bytes.emplace_back((const unsigned char*) a.start, (const unsigned char*) a.start + a.bytes);
    }
    return s;
}

void restore_snapshot(const Snapshot& s) {
    for (size_t i = 0; i < s.allocations.size(); i++) {
        memcpy((void*) s.allocations[i].start, s.bytes[i].data(), s.bytes[i].size());
    }
}

// The first byte where memory now differs from the snapshot, described; empty when none does.
std::string first_difference(const Snapshot& s) {
    for (size_t i = 0; i < s.allocations.size(); i++) {
        const unsigned char* now = (const unsigned char*) s.allocations[i].start;
        const std::vector<unsigned char>& then = s.bytes[i];
        for (size_t b = 0; b < then.size(); b++) {
            if (now[b] != then[b]) {
                return hex(s.allocations[i].start + b) + " (byte " + std::to_string(b) + " of the allocation at " +
                       hex(s.allocations[i].start) + " of " + std::to_string(then.size()) + " bytes)";
            }
        }
    }
    return "";
}

// ---- running a launch -----------------------------------------------------------------------------------------------

// A launch's parameters, copied when it is made (a captured launch replays with its own values).
struct Parameters {
    std::vector<unsigned char> bytes;
    std::vector<size_t> offsets;

    static Parameters copy(const KernelFunction& f, void** kernelParams) {
        Parameters p;
        size_t at = 0;
        for (size_t i = 0; i < f.sizes.size(); i++) {
            at = round_up(at, (size_t) std::max(1, f.aligns[i]));
            p.offsets.push_back(at);
            at += f.sizes[i];
        }
        p.bytes.resize(at + 16);
        for (size_t i = 0; i < f.sizes.size(); i++) {
            memcpy(p.bytes.data() + p.offsets[i], kernelParams[i], f.sizes[i]);
        }
        return p;
    }
};

BlockResult run_once(const KernelFunction& f, const dim3& grid, const dim3& block, void** parameters,
                     const ThreadOrder& order, bool blocksReversed, bool& usedAtomics) {
    Launch launch;
    launch.function = &f;
    launch.grid = grid;
    launch.block = block;
    launch.parameters = parameters;
    launch.order = order;
    launch.blocksReversed = blocksReversed;
    BlockResult result = workers().run(launch, block.x * block.y * block.z);
    usedAtomics = launch.usedAtomics;
    if (result.code == CUDA_SUCCESS) {
        std::shared_lock<std::shared_mutex> lock(allocations_lock);
        std::string damage = slack_damage();
        if (!damage.empty()) {
            result = {CUDA_ERROR_ILLEGAL_ADDRESS, "kernel " + f.name + " wrote " + damage +
                                                      " (inside the allocation's page, so found after the launch: "
                                                      "which thread did it is not known)"};
        }
    }
    if (result.code == CUDA_SUCCESS) {
        std::shared_lock<std::shared_mutex> lock(allocations_lock);
        std::string damage = guard_damage();
        if (!damage.empty()) {
            result = {CUDA_ERROR_ILLEGAL_ADDRESS, "kernel " + f.name + " wrote " + damage +
                                                      " (found after the launch: which thread did it is not known)"};
        }
    }
    return result;
}

CUresult execute_launch(const KernelFunction& f, const dim3& grid, const dim3& block, const Parameters& p) {
    // a copy per run: a kernel may write its own parameters (they are its locals)
    Parameters local = p;
    std::vector<void*> pointers;
    for (size_t offset : local.offsets) {
        pointers.push_back(local.bytes.data() + offset);
    }
    std::lock_guard<std::mutex> lock(launch_lock);
    install_fault_handler();
    bool usedAtomics = false;
    BlockResult result;
    if (!race_check) {
        result = run_once(f, grid, block, pointers.data(), thread_order, false, usedAtomics);
    } else {
        // the same launch from the same memory in two orders of the threads (and of the blocks): the same bytes,
        // or a race
        Snapshot before = take_snapshot();
        result = run_once(f, grid, block, pointers.data(), thread_order, false, usedAtomics);
        if (result.code == CUDA_SUCCESS) {
            Snapshot first = take_snapshot();
            restore_snapshot(before);
            memcpy(local.bytes.data(), p.bytes.data(), p.bytes.size());  // the pointers point into local.bytes
            bool usedAtomicsAgain = false;
            result = run_once(f, grid, block, pointers.data(), thread_order.other(), true, usedAtomicsAgain);
            usedAtomics = usedAtomics || usedAtomicsAgain;
            if (result.code == CUDA_SUCCESS) {
                std::string difference = usedAtomics ? "" : first_difference(first);
                std::lock_guard<std::mutex> findings(race_lock);
                if (usedAtomics && race_reported.insert(f.name).second) {
                    race_unchecked.push_back(f.name);
                } else if (!difference.empty() && race_reported.insert(f.name).second) {
                    race_findings.push_back("kernel " + f.name + ": the result depends on the order of its threads or blocks; " +
                                            "first difference at " + difference);
                }
            }
        }
    }
    launch_count++;
    return result.code == CUDA_SUCCESS ? CUDA_SUCCESS : fail(result.code, result.detail);
}

// ---- modules --------------------------------------------------------------------------------------------------------

struct KernelEntry {  // as in cuda_emulation.h
    const char* name;
    int parameterCount;
    const int* parameterSizes;
    const int* parameterAligns;
    void (*invoke)(void** parameters);
};

struct Module {
    void* handle;
    std::string path;
    std::map<std::string, std::unique_ptr<KernelFunction>> functions;
};

const char MODULE_PREFIX[] = "lamina-emulated-module:";

std::once_flag driver_made_global;

// The modules resolve the driver's symbols (the barrier, the indices): make them visible to later dlopens. The
// JVM's System.load opened this library RTLD_LOCAL.
void make_driver_global() {
    std::call_once(driver_made_global, [] {
        Dl_info info;
        if (dladdr((void*) &make_driver_global, &info) != 0 && info.dli_fname != nullptr) {
            dlopen(info.dli_fname, RTLD_NOLOAD | RTLD_NOW | RTLD_GLOBAL);
        }
    });
}

CUresult load_module(Module** result, const void* image) {
    if (result == nullptr || image == nullptr) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuModuleLoadData: expected a module and an image, found null");
    }
    const char* text = (const char*) image;
    if (strncmp(text, MODULE_PREFIX, sizeof MODULE_PREFIX - 1) != 0) {
        return fail(CUDA_ERROR_INVALID_IMAGE,
                    "PTX cannot run on the emulation; load the module built for it (an image \"" +
                        std::string(MODULE_PREFIX) + "/path/Module.so\")");
    }
    make_driver_global();
    std::string path(text + sizeof MODULE_PREFIX - 1);
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* why = dlerror();
        return fail(CUDA_ERROR_INVALID_IMAGE, "cannot load the emulated module " + path + ": " + (why ? why : "?"));
    }
    auto table = (const KernelEntry* (*)(int*)) dlsym(handle, "lamina_emulated_kernels");
    if (table == nullptr) {
        dlclose(handle);
        return fail(CUDA_ERROR_INVALID_IMAGE, "the emulated module " + path +
                                                  " has no lamina_emulated_kernels (its kernel registry)");
    }
    auto module = std::make_unique<Module>();
    module->handle = handle;
    module->path = path;
    int count = 0;
    const KernelEntry* entries = table(&count);
    for (int i = 0; i < count; i++) {
        auto f = std::make_unique<KernelFunction>();
        f->name = entries[i].name;
        f->invoke = entries[i].invoke;
        f->sizes.assign(entries[i].parameterSizes, entries[i].parameterSizes + entries[i].parameterCount);
        f->aligns.assign(entries[i].parameterAligns, entries[i].parameterAligns + entries[i].parameterCount);
        module->functions[f->name] = std::move(f);
    }
    *result = module.release();
    return CUDA_SUCCESS;
}

// ---- the stream, graphs and their commands ------------------------------------------------------------------------

// What a stream is asked to do; run at once, or recorded while the stream captures.
struct Command {
    enum Kind { LAUNCH, HTOD, DTOH, DTOD, MEMSET32 } kind;
    explicit Command(Kind k) : kind(k) {}
    const KernelFunction* function = nullptr;
    dim3 grid{1, 1, 1};
    dim3 block{1, 1, 1};
    Parameters parameters;
    CUdeviceptr device = 0;  // destination (source for DTOH)
    CUdeviceptr source = 0;  // DTOD's source
    void* host = nullptr;    // HTOD's source, DTOH's destination (read / written when the command runs)
    size_t bytes = 0;
    unsigned int value = 0;  // MEMSET32
};

CUresult execute(const Command& c) {
    switch (c.kind) {
        case Command::LAUNCH:
            return execute_launch(*c.function, c.grid, c.block, c.parameters);
        case Command::HTOD:
            memcpy((void*) c.device, c.host, c.bytes);
            break;
        case Command::DTOH:
            memcpy(c.host, (const void*) c.device, c.bytes);
            return CUDA_SUCCESS;
        case Command::DTOD:
            memmove((void*) c.device, (const void*) c.source, c.bytes);
            break;
        case Command::MEMSET32:
            std::fill((unsigned int*) c.device, (unsigned int*) c.device + c.bytes / 4, c.value);
            break;
        default:
            return CUDA_ERROR_UNKNOWN;
    }
    refill_guards((uintptr_t) c.device, c.bytes);  // what the host writes over a guard is not a kernel's fault
    return CUDA_SUCCESS;
}

struct Graph {
    std::vector<Command> commands;
};

struct Stream {
    unsigned int flags = 0;
    Graph* capture = nullptr;  // non-null between BeginCapture and EndCapture
    int captureMode = 0;       // CU_STREAM_CAPTURE_MODE_GLOBAL 0, THREAD_LOCAL 1, RELAXED 2
    std::thread::id capturer;  // the thread that began the capture
};

Stream default_stream;
std::mutex streams_lock;
std::set<Stream*>& streams = *new std::set<Stream*>();  // the live ones, to find a capture in progress

Stream* stream_of(void* handle) { return handle == nullptr ? &default_stream : (Stream*) handle; }

// A synchronous call (the legacy default stream) while a blocking stream captures: an error on a device.
CUresult check_no_capture(const char* call) {
    std::lock_guard<std::mutex> lock(streams_lock);
    for (Stream* s : streams) {
        if (s->capture != nullptr && (s->flags & 1) == 0) {
            return fail(CUDA_ERROR_STREAM_CAPTURE_IMPLICIT,
                        std::string(call) + " while a stream captures a graph: the device refuses a synchronous "
                                            "call on the legacy stream then; use the capturing stream");
        }
    }
    return CUDA_SUCCESS;
}

// What a device refuses while a capture is in progress (cuMemAlloc, cuMemFree: "potentially unsafe" calls): from
// the capturing thread of a THREAD_LOCAL capture, from any thread during a GLOBAL one.
CUresult check_unsafe_during_capture(const char* call) {
    std::lock_guard<std::mutex> lock(streams_lock);
    for (Stream* s : streams) {
        if (s->capture != nullptr &&
            (s->captureMode == 0 || (s->captureMode == 1 && s->capturer == std::this_thread::get_id()))) {
            return fail(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED,
                        std::string(call) + " while a stream captures a graph (mode " +
                            (s->captureMode == 0 ? "global" : "thread-local") +
                            "): the device refuses it; allocate before the capture");
        }
    }
    return CUDA_SUCCESS;
}

// Runs the command now, or records it when the stream captures.
CUresult submit(void* streamHandle, Command&& c) {
    Stream* s = stream_of(streamHandle);
    if (s->capture != nullptr) {
        s->capture->commands.push_back(std::move(c));
        return CUDA_SUCCESS;
    }
    return execute(c);
}

}  // namespace

// ---- the cu* entry points -------------------------------------------------------------------------------------------

namespace {

const char DEVICE_NAME[] = "Lamina CUDA emulation (CPU)";
int context_token;                        // the one context's handle points here
thread_local void* current_context = nullptr;
size_t total_memory() { return (size_t) sysconf(_SC_PHYS_PAGES) * PAGE; }

CUresult check_device(CUdevice device) {
    return device == 0 ? CUDA_SUCCESS
                       : fail(CUDA_ERROR_INVALID_DEVICE, "the emulation has one device, 0; found " +
                                                             std::to_string(device));
}

// cuDeviceGetAttribute's values: an sm_90 device whose multiprocessors are the workers.
bool attribute_value(int attribute, int* value) {
    switch (attribute) {
        case 1: *value = 1024; return true;               // MAX_THREADS_PER_BLOCK
        case 2: case 3: *value = 1024; return true;       // MAX_BLOCK_DIM_X, Y
        case 4: *value = 64; return true;                 // MAX_BLOCK_DIM_Z
        case 5: *value = 2147483647; return true;         // MAX_GRID_DIM_X
        case 6: case 7: *value = 65535; return true;      // MAX_GRID_DIM_Y, Z
        case 8: *value = 49152; return true;              // MAX_SHARED_MEMORY_PER_BLOCK
        case 9: *value = 65536; return true;              // TOTAL_CONSTANT_MEMORY
        case 10: *value = 32; return true;                // WARP_SIZE
        case 11: *value = 2147483647; return true;        // MAX_PITCH
        case 12: *value = 65536; return true;             // MAX_REGISTERS_PER_BLOCK
        case 13: *value = 1000000; return true;           // CLOCK_RATE, kHz
        case 14: *value = 512; return true;               // TEXTURE_ALIGNMENT
        case 15: *value = 1; return true;                 // GPU_OVERLAP
        case 16: *value = (int) worker_count; return true;  // MULTIPROCESSOR_COUNT
        case 17: *value = 0; return true;                 // KERNEL_EXEC_TIMEOUT
        case 18: *value = 0; return true;                 // INTEGRATED
        case 19: *value = 1; return true;                 // CAN_MAP_HOST_MEMORY
        case 20: *value = 0; return true;                 // COMPUTE_MODE: default
        case 31: *value = 1; return true;                 // CONCURRENT_KERNELS
        case 32: *value = 0; return true;                 // ECC_ENABLED
        case 36: *value = 1000000; return true;           // MEMORY_CLOCK_RATE
        case 37: *value = 64; return true;                // GLOBAL_MEMORY_BUS_WIDTH
        case 38: *value = 50 * 1024 * 1024; return true;  // L2_CACHE_SIZE
        case 39: *value = 2048; return true;              // MAX_THREADS_PER_MULTIPROCESSOR
        case 40: *value = 1; return true;                 // ASYNC_ENGINE_COUNT
        case 41: *value = 1; return true;                 // UNIFIED_ADDRESSING
        case 75: *value = 9; return true;                 // COMPUTE_CAPABILITY_MAJOR
        case 76: *value = 0; return true;                 // COMPUTE_CAPABILITY_MINOR
        case 81: *value = 228 * 1024; return true;        // MAX_SHARED_MEMORY_PER_MULTIPROCESSOR
        case 82: *value = 65536; return true;             // MAX_REGISTERS_PER_MULTIPROCESSOR
        case 97: *value = 49152; return true;             // MAX_SHARED_MEMORY_PER_BLOCK_OPTIN (no dynamic opt-in)
        case 106: *value = 32; return true;               // MAX_BLOCKS_PER_MULTIPROCESSOR
        default:
            if (attribute > 0 && attribute < 150) {
                *value = 0;  // a feature the emulation does not have
                return true;
            }
            return false;
    }
}

}  // namespace

LAMINA_EXPORT CUresult cuInit(unsigned int flags) {
    return flags == 0 ? CUDA_SUCCESS
                      : fail(CUDA_ERROR_INVALID_VALUE, "cuInit: flags must be 0, found " + std::to_string(flags));
}

LAMINA_EXPORT CUresult cuDriverGetVersion(int* version) {
    if (version == nullptr) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuDriverGetVersion: null result");
    }
    *version = 12060;
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuDeviceGetCount(int* count) {
    if (count == nullptr) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuDeviceGetCount: null result");
    }
    *count = 1;
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuDeviceGet(CUdevice* device, int ordinal) {
    if (device == nullptr) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuDeviceGet: null result");
    }
    CUresult r = check_device(ordinal);
    if (r == CUDA_SUCCESS) {
        *device = 0;
    }
    return r;
}

LAMINA_EXPORT CUresult cuDeviceGetName(char* name, int length, CUdevice device) {
    if (name == nullptr || length <= 0) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuDeviceGetName: expected a buffer, found none");
    }
    CUresult r = check_device(device);
    if (r == CUDA_SUCCESS) {
        snprintf(name, (size_t) length, "%s", DEVICE_NAME);
    }
    return r;
}

LAMINA_EXPORT CUresult cuDeviceGetAttribute(int* value, int attribute, CUdevice device) {
    CUresult r = check_device(device);
    if (r != CUDA_SUCCESS) {
        return r;
    }
    if (value == nullptr || !attribute_value(attribute, value)) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuDeviceGetAttribute: no attribute " + std::to_string(attribute));
    }
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuDeviceComputeCapability(int* major, int* minor, CUdevice device) {
    if (major == nullptr || minor == nullptr) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuDeviceComputeCapability: null result");
    }
    *major = 9;
    *minor = 0;
    return check_device(device);
}

LAMINA_EXPORT CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice device) {
    if (bytes == nullptr) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuDeviceTotalMem: null result");
    }
    *bytes = total_memory();
    return check_device(device);
}

LAMINA_EXPORT CUresult cuMemGetInfo_v2(size_t* free, size_t* total) {
    if (free == nullptr || total == nullptr) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuMemGetInfo: null result");
    }
    *total = total_memory();
    *free = (size_t) sysconf(_SC_AVPHYS_PAGES) * PAGE;
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuCtxCreate_v2(void** context, unsigned int flags, CUdevice device) {
    (void) flags;
    if (context == nullptr) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuCtxCreate: null result");
    }
    CUresult r = check_device(device);
    if (r == CUDA_SUCCESS) {
        *context = &context_token;
        current_context = &context_token;
    }
    return r;
}

LAMINA_EXPORT CUresult cuCtxDestroy_v2(void* context) {
    if (context != &context_token) {
        return fail(CUDA_ERROR_INVALID_CONTEXT, "cuCtxDestroy: not a context of the emulation");
    }
    if (current_context == context) {
        current_context = nullptr;
    }
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuCtxSetCurrent(void* context) {
    if (context != nullptr && context != &context_token) {
        return fail(CUDA_ERROR_INVALID_CONTEXT, "cuCtxSetCurrent: not a context of the emulation");
    }
    current_context = context;
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuCtxGetCurrent(void** context) {
    if (context == nullptr) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuCtxGetCurrent: null result");
    }
    *context = current_context;
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuCtxGetDevice(CUdevice* device) {
    if (device == nullptr) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuCtxGetDevice: null result");
    }
    *device = 0;
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuCtxSynchronize() { return CUDA_SUCCESS; }  // every command has run when its call returns

LAMINA_EXPORT CUresult cuMemAlloc_v2(CUdeviceptr* pointer, size_t bytes) {
    CUresult r = check_unsafe_during_capture("cuMemAlloc");
    return r != CUDA_SUCCESS ? r : allocate(bytes, pointer);
}

LAMINA_EXPORT CUresult cuMemFree_v2(CUdeviceptr pointer) {
    CUresult r = check_unsafe_during_capture("cuMemFree");
    return r != CUDA_SUCCESS ? r : release(pointer);
}

// Pinned host memory is plain host memory here.
LAMINA_EXPORT CUresult cuMemAllocHost_v2(void** pointer, size_t bytes) {
    if (pointer == nullptr) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuMemAllocHost: null result");
    }
    void* memory = nullptr;
    if (posix_memalign(&memory, 4096, std::max<size_t>(bytes, 1)) != 0) {
        return fail(CUDA_ERROR_OUT_OF_MEMORY, "cuMemAllocHost: no memory for " + std::to_string(bytes) + " bytes");
    }
    *pointer = memory;
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuMemFreeHost(void* pointer) {
    free(pointer);
    return CUDA_SUCCESS;
}

namespace {

CUresult copy_to_device(const char* call, CUdeviceptr destination, const void* source, size_t bytes, void* stream) {
    CUresult r = check_range(call, "destination", destination, bytes);
    if (r != CUDA_SUCCESS) {
        return r;
    }
    Command c(Command::HTOD);
    c.device = destination;
    c.host = (void*) source;
    c.bytes = bytes;
    return submit(stream, std::move(c));
}

CUresult copy_to_host(const char* call, void* destination, CUdeviceptr source, size_t bytes, void* stream) {
    CUresult r = check_range(call, "source", source, bytes);
    if (r != CUDA_SUCCESS) {
        return r;
    }
    Command c(Command::DTOH);
    c.device = source;
    c.host = destination;
    c.bytes = bytes;
    return submit(stream, std::move(c));
}

CUresult copy_on_device(const char* call, CUdeviceptr destination, CUdeviceptr source, size_t bytes, void* stream) {
    CUresult r = check_range(call, "destination", destination, bytes);
    if (r == CUDA_SUCCESS) {
        r = check_range(call, "source", source, bytes);
    }
    if (r != CUDA_SUCCESS) {
        return r;
    }
    Command c(Command::DTOD);
    c.device = destination;
    c.source = source;
    c.bytes = bytes;
    return submit(stream, std::move(c));
}

CUresult set_words(const char* call, CUdeviceptr destination, unsigned int value, size_t count, void* stream) {
    CUresult r = check_range(call, "destination", destination, count * 4);
    if (r != CUDA_SUCCESS) {
        return r;
    }
    if (destination % 4 != 0) {
        return fail(CUDA_ERROR_INVALID_VALUE, std::string(call) + ": expected a 4-byte aligned address, found " +
                                                  hex(destination));
    }
    Command c(Command::MEMSET32);
    c.device = destination;
    c.value = value;
    c.bytes = count * 4;
    return submit(stream, std::move(c));
}

}  // namespace

LAMINA_EXPORT CUresult cuMemcpyHtoD_v2(CUdeviceptr destination, const void* source, size_t bytes) {
    CUresult r = check_no_capture("cuMemcpyHtoD");
    return r != CUDA_SUCCESS ? r : copy_to_device("cuMemcpyHtoD", destination, source, bytes, nullptr);
}

LAMINA_EXPORT CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr destination, const void* source, size_t bytes, void* stream) {
    return copy_to_device("cuMemcpyHtoDAsync", destination, source, bytes, stream);
}

LAMINA_EXPORT CUresult cuMemcpyDtoH_v2(void* destination, CUdeviceptr source, size_t bytes) {
    CUresult r = check_no_capture("cuMemcpyDtoH");
    return r != CUDA_SUCCESS ? r : copy_to_host("cuMemcpyDtoH", destination, source, bytes, nullptr);
}

LAMINA_EXPORT CUresult cuMemcpyDtoHAsync_v2(void* destination, CUdeviceptr source, size_t bytes, void* stream) {
    return copy_to_host("cuMemcpyDtoHAsync", destination, source, bytes, stream);
}

LAMINA_EXPORT CUresult cuMemcpyDtoD_v2(CUdeviceptr destination, CUdeviceptr source, size_t bytes) {
    CUresult r = check_no_capture("cuMemcpyDtoD");
    return r != CUDA_SUCCESS ? r : copy_on_device("cuMemcpyDtoD", destination, source, bytes, nullptr);
}

LAMINA_EXPORT CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr destination, CUdeviceptr source, size_t bytes, void* stream) {
    return copy_on_device("cuMemcpyDtoDAsync", destination, source, bytes, stream);
}

LAMINA_EXPORT CUresult cuMemsetD32_v2(CUdeviceptr destination, unsigned int value, size_t count) {
    CUresult r = check_no_capture("cuMemsetD32");
    return r != CUDA_SUCCESS ? r : set_words("cuMemsetD32", destination, value, count, nullptr);
}

LAMINA_EXPORT CUresult cuMemsetD32Async(CUdeviceptr destination, unsigned int value, size_t count, void* stream) {
    return set_words("cuMemsetD32Async", destination, value, count, stream);
}

LAMINA_EXPORT CUresult cuModuleLoadData(void** module, const void* image) {
    return load_module((Module**) module, image);
}

LAMINA_EXPORT CUresult cuModuleLoadDataEx(void** module, const void* image, unsigned int options, void* kinds,
                                          void** values) {
    (void) options, (void) kinds, (void) values;  // JIT options mean nothing to a compiled module
    return load_module((Module**) module, image);
}

LAMINA_EXPORT CUresult cuModuleUnload(void* handle) {
    Module* module = (Module*) handle;
    if (module == nullptr) {
        return fail(CUDA_ERROR_INVALID_HANDLE, "cuModuleUnload: null module");
    }
    dlclose(module->handle);
    delete module;
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuModuleGetFunction(void** function, void* handle, const char* name) {
    Module* module = (Module*) handle;
    if (function == nullptr || module == nullptr || name == nullptr) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuModuleGetFunction: expected a result, a module and a name");
    }
    auto found = module->functions.find(name);
    if (found == module->functions.end()) {
        return fail(CUDA_ERROR_NOT_FOUND, "no kernel " + std::string(name) + " in the emulated module " +
                                              module->path + " (is it in the module's LAMINA_EMULATED_KERNEL list?)");
    }
    *function = found->second.get();
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuLaunchKernel(void* function, unsigned int gridX, unsigned int gridY, unsigned int gridZ,
                                      unsigned int blockX, unsigned int blockY, unsigned int blockZ,
                                      unsigned int sharedBytes, void* stream, void** kernelParams, void** extra) {
    const KernelFunction* f = (const KernelFunction*) function;
    if (f == nullptr) {
        return fail(CUDA_ERROR_INVALID_HANDLE, "cuLaunchKernel: null function");
    }
    if (extra != nullptr || sharedBytes != 0) {
        return fail(CUDA_ERROR_NOT_SUPPORTED, "kernel " + f->name + ": the emulation takes parameters through "
                                              "kernelParams only and has no dynamic shared memory (found " +
                                              std::to_string(sharedBytes) + " bytes)");
    }
    uint64_t threads = (uint64_t) blockX * blockY * blockZ;
    if (gridX == 0 || gridY == 0 || gridZ == 0 || threads == 0 || threads > 1024 || blockZ > 64 || gridY > 65535 ||
        gridZ > 65535 || gridX > 2147483647u) {
        return fail(CUDA_ERROR_INVALID_VALUE, "kernel " + f->name + ": expected a grid of 1..2^31-1 x 1..65535 x "
                                              "1..65535 blocks of 1..1024 threads, found grid (" +
                                              std::to_string(gridX) + "," + std::to_string(gridY) + "," +
                                              std::to_string(gridZ) + ") of blocks (" + std::to_string(blockX) + "," +
                                              std::to_string(blockY) + "," + std::to_string(blockZ) + ")");
    }
    if (kernelParams == nullptr && !f->sizes.empty()) {
        return fail(CUDA_ERROR_INVALID_VALUE, "kernel " + f->name + " takes " + std::to_string(f->sizes.size()) +
                                                  " parameters; kernelParams is null");
    }
    Command c(Command::LAUNCH);
    c.function = f;
    c.grid = dim3{gridX, gridY, gridZ};
    c.block = dim3{blockX, blockY, blockZ};
    c.parameters = Parameters::copy(*f, kernelParams);
    return submit(stream, std::move(c));
}

LAMINA_EXPORT CUresult cuStreamCreate(void** stream, unsigned int flags) {
    if (stream == nullptr) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuStreamCreate: null result");
    }
    Stream* s = new Stream();
    s->flags = flags;
    std::lock_guard<std::mutex> lock(streams_lock);
    streams.insert(s);
    *stream = s;
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuStreamDestroy_v2(void* stream) {
    Stream* s = (Stream*) stream;
    std::lock_guard<std::mutex> lock(streams_lock);
    if (streams.erase(s) == 0) {
        return fail(CUDA_ERROR_INVALID_HANDLE, "cuStreamDestroy: not a stream of the emulation");
    }
    delete s->capture;
    delete s;
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuStreamSynchronize(void* stream) {
    if (stream_of(stream)->capture != nullptr) {
        return fail(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, "cuStreamSynchronize on a stream that captures a graph");
    }
    return CUDA_SUCCESS;  // the stream runs each command at its call
}

LAMINA_EXPORT CUresult cuStreamQuery(void* stream) { return cuStreamSynchronize(stream); }

LAMINA_EXPORT CUresult cuStreamBeginCapture_v2(void* stream, int mode) {
    Stream* s = stream_of(stream);
    if (s == &default_stream) {
        return fail(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, "cuStreamBeginCapture: the legacy stream cannot capture");
    }
    if (s->capture != nullptr) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuStreamBeginCapture: the stream captures already");
    }
    if (mode < 0 || mode > 2) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuStreamBeginCapture: expected a capture mode 0 to 2, found " +
                                                  std::to_string(mode));
    }
    std::lock_guard<std::mutex> lock(streams_lock);
    s->capture = new Graph();
    s->captureMode = mode;
    s->capturer = std::this_thread::get_id();
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuStreamEndCapture(void* stream, void** graph) {
    Stream* s = stream_of(stream);
    if (graph == nullptr || s->capture == nullptr) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuStreamEndCapture: the stream does not capture");
    }
    std::lock_guard<std::mutex> lock(streams_lock);
    *graph = s->capture;
    s->capture = nullptr;
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuStreamIsCapturing(void* stream, int* status) {
    if (status == nullptr) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuStreamIsCapturing: null result");
    }
    *status = stream_of(stream)->capture != nullptr ? 1 : 0;  // CU_STREAM_CAPTURE_STATUS_ACTIVE : NONE
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuGraphInstantiateWithFlags(void** exec, void* graph, unsigned long long flags) {
    (void) flags;
    if (exec == nullptr || graph == nullptr) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuGraphInstantiate: expected a result and a graph");
    }
    *exec = new Graph(*(Graph*) graph);
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuGraphLaunch(void* exec, void* stream) {
    Graph* g = (Graph*) exec;
    if (g == nullptr) {
        return fail(CUDA_ERROR_INVALID_HANDLE, "cuGraphLaunch: null graph");
    }
    if (stream_of(stream)->capture != nullptr) {
        return fail(CUDA_ERROR_NOT_SUPPORTED, "cuGraphLaunch into a capturing stream is not emulated");
    }
    for (const Command& c : g->commands) {
        CUresult r = execute(c);
        if (r != CUDA_SUCCESS) {
            return r;
        }
    }
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuGraphDestroy(void* graph) {
    delete (Graph*) graph;
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuGraphExecDestroy(void* exec) {
    delete (Graph*) exec;
    return CUDA_SUCCESS;
}

// Events: the time when the stream reached them, which is the time of the call (every command runs at its call).
namespace {
struct Event {
    std::chrono::steady_clock::time_point when;
    bool recorded = false;
};
}  // namespace

LAMINA_EXPORT CUresult cuEventCreate(void** event, unsigned int flags) {
    (void) flags;
    if (event == nullptr) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuEventCreate: null result");
    }
    *event = new Event();
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuEventRecord(void* event, void* stream) {
    if (event == nullptr) {
        return fail(CUDA_ERROR_INVALID_HANDLE, "cuEventRecord: null event");
    }
    if (stream_of(stream)->capture != nullptr) {
        return fail(CUDA_ERROR_NOT_SUPPORTED, "cuEventRecord into a capturing stream is not emulated");
    }
    ((Event*) event)->when = std::chrono::steady_clock::now();
    ((Event*) event)->recorded = true;
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuEventSynchronize(void* event) {
    return event != nullptr ? CUDA_SUCCESS : fail(CUDA_ERROR_INVALID_HANDLE, "cuEventSynchronize: null event");
}

LAMINA_EXPORT CUresult cuEventQuery(void* event) { return cuEventSynchronize(event); }

LAMINA_EXPORT CUresult cuEventElapsedTime(float* milliseconds, void* start, void* end) {
    Event* a = (Event*) start;
    Event* b = (Event*) end;
    if (milliseconds == nullptr || a == nullptr || b == nullptr || !a->recorded || !b->recorded) {
        return fail(CUDA_ERROR_INVALID_HANDLE, "cuEventElapsedTime: expected two recorded events");
    }
    *milliseconds = std::chrono::duration<float, std::milli>(b->when - a->when).count();
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuEventDestroy_v2(void* event) {
    delete (Event*) event;
    return CUDA_SUCCESS;
}

LAMINA_EXPORT CUresult cuGetErrorName(CUresult code, const char** name) {
    const ErrorText* e = error_text(code);
    if (name == nullptr || e == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    *name = e->name;
    return CUDA_SUCCESS;
}

// The calling thread's last error of this code with its detail; otherwise the code's plain description.
LAMINA_EXPORT CUresult cuGetErrorString(CUresult code, const char** text) {
    const ErrorText* e = error_text(code);
    if (text == nullptr || e == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    last_error_string = e->text;
    if (code == last_error_code && !last_error_detail.empty()) {
        last_error_string += ": " + last_error_detail;
    }
    *text = last_error_string.c_str();
    return CUDA_SUCCESS;
}

// ---- control from Java: dev.lamina.gpu.emulation.EmulatorControl --------------------------------------------------

#define LAMINA_CONTROL(type, name) \
    extern "C" JNIEXPORT type JNICALL Java_dev_lamina_gpu_emulation_EmulatorControl_##name

namespace {
jstring java_string(JNIEnv* env, const std::string& text) { return env->NewStringUTF(text.c_str()); }
}  // namespace

LAMINA_CONTROL(void, setThreadOrder)(JNIEnv* env, jclass, jint order, jlong seed) {
    if (order < 0 || order > 2) {
        env->ThrowNew(env->FindClass("java/lang/IllegalArgumentException"),
                      ("expected a thread order 0 (index), 1 (reversed) or 2 (shuffled), found " +
                       std::to_string(order)).c_str());
        return;
    }
    std::lock_guard<std::mutex> lock(launch_lock);
    thread_order = ThreadOrder{order, (uint64_t) seed};
}

LAMINA_CONTROL(void, setWorkers)(JNIEnv* env, jclass, jint count) {
    if (count < 1 || count > MAX_WORKERS) {
        env->ThrowNew(env->FindClass("java/lang/IllegalArgumentException"),
                      ("expected 1 to " + std::to_string(MAX_WORKERS) + " workers, found " + std::to_string(count))
                          .c_str());
        return;
    }
    std::lock_guard<std::mutex> lock(launch_lock);
    worker_count = (unsigned int) count;
}

LAMINA_CONTROL(void, setRaceCheck)(JNIEnv*, jclass, jboolean on) {
    std::lock_guard<std::mutex> lock(launch_lock);
    race_check = on;
}

LAMINA_CONTROL(jstring, raceReport)(JNIEnv* env, jclass) {
    std::lock_guard<std::mutex> lock(race_lock);
    std::string report;
    for (const std::string& line : race_findings) {
        report += line + "\n";
    }
    for (const std::string& name : race_unchecked) {
        report += "kernel " + name + ": not checked (atomics)\n";
    }
    return java_string(env, report);
}

LAMINA_CONTROL(void, clearRaceReport)(JNIEnv*, jclass) {
    std::lock_guard<std::mutex> lock(race_lock);
    race_findings.clear();
    race_unchecked.clear();
    race_reported.clear();
}

LAMINA_CONTROL(jlong, launches)(JNIEnv*, jclass) { return (jlong) launch_count.load(); }

LAMINA_CONTROL(jlong, address)(JNIEnv* env, jclass, jobject pointer) {
    if (pointer == nullptr) {
        env->ThrowNew(env->FindClass("java/lang/IllegalArgumentException"), "expected a device pointer, found null");
        return 0;
    }
    // JCuda's own fields, as its native code reads them: the pointer and the offset withByteOffset added
    jfieldID nativePointer = env->GetFieldID(env->FindClass("jcuda/NativePointerObject"), "nativePointer", "J");
    jfieldID byteOffset = nativePointer == nullptr ? nullptr
                                                   : env->GetFieldID(env->FindClass("jcuda/Pointer"), "byteOffset", "J");
    if (byteOffset == nullptr) {
        return 0;  // NoSuchFieldError pending
    }
    return env->GetLongField(pointer, nativePointer) + env->GetLongField(pointer, byteOffset);
}

LAMINA_CONTROL(void, guard)(JNIEnv* env, jclass, jlong address, jlong bytes) {
    std::string why = bytes < 0 ? "expected a guard of more than 0 bytes, found " + std::to_string(bytes)
                                : add_guard((uintptr_t) address, (size_t) bytes);
    if (!why.empty()) {
        env->ThrowNew(env->FindClass("java/lang/IllegalArgumentException"), why.c_str());
    }
}

LAMINA_CONTROL(void, unguard)(JNIEnv* env, jclass, jlong address) {
    std::unique_lock<std::shared_mutex> lock(allocations_lock);
    if (guards.erase((uintptr_t) address) == 0) {
        env->ThrowNew(env->FindClass("java/lang/IllegalArgumentException"),
                      ("expected the start of a guard, found " + hex((uintptr_t) address) +
                       " (an allocation's guards go when it is freed)").c_str());
    }
}

LAMINA_CONTROL(jstring, lastError)(JNIEnv* env, jclass) {
    if (last_error_code == CUDA_SUCCESS) {
        return java_string(env, "");
    }
    const ErrorText* e = error_text(last_error_code);
    return java_string(env, std::string(e != nullptr ? e->name : "CUDA error " + std::to_string(last_error_code)) +
                                ": " + last_error_detail);
}

// ---- the cu* functions JCuda imports that are not emulated ---------------------------------------------------------

namespace {
std::string not_emulated_message(const char* name) { return std::string(name) + " is not emulated"; }
}  // namespace

// Each answers CUDA_ERROR_NOT_SUPPORTED and leaves "cuXxx is not emulated" as the calling thread's last error.
// (The caller's arguments are ignored: an x86-64 / AArch64 C function without parameters can be called with any.)
#define LAMINA_NOT_EMULATED(name) \
    LAMINA_EXPORT CUresult name() { return fail(CUDA_ERROR_NOT_SUPPORTED, not_emulated_message(#name)); }

// Generated, do not edit by hand: every cu* symbol libJCudaDriver-12.6.0-linux-x86_64.so imports (nm -D
// --undefined-only, in the jcuda-natives jar) that this file does not define (nm -D --defined-only on a build
// without this list):
//   comm -23 <(nm -D --undefined-only libJCudaDriver-*.so | awk '{print $2}' | grep '^cu' | sort)
//            <(nm -D --defined-only libcuda.so.1 | awk '{print $3}' | grep '^cu' | sort)
// LAMINA_NOT_EMULATED list begins
LAMINA_NOT_EMULATED(cuArray3DCreate_v2)
LAMINA_NOT_EMULATED(cuArray3DGetDescriptor_v2)
LAMINA_NOT_EMULATED(cuArrayCreate_v2)
LAMINA_NOT_EMULATED(cuArrayDestroy)
LAMINA_NOT_EMULATED(cuArrayGetDescriptor_v2)
LAMINA_NOT_EMULATED(cuArrayGetMemoryRequirements)
LAMINA_NOT_EMULATED(cuArrayGetPlane)
LAMINA_NOT_EMULATED(cuArrayGetSparseProperties)
LAMINA_NOT_EMULATED(cuCtxAttach)
LAMINA_NOT_EMULATED(cuCtxDetach)
LAMINA_NOT_EMULATED(cuCtxDisablePeerAccess)
LAMINA_NOT_EMULATED(cuCtxEnablePeerAccess)
LAMINA_NOT_EMULATED(cuCtxGetApiVersion)
LAMINA_NOT_EMULATED(cuCtxGetCacheConfig)
LAMINA_NOT_EMULATED(cuCtxGetFlags)
LAMINA_NOT_EMULATED(cuCtxGetId)
LAMINA_NOT_EMULATED(cuCtxGetLimit)
LAMINA_NOT_EMULATED(cuCtxGetSharedMemConfig)
LAMINA_NOT_EMULATED(cuCtxGetStreamPriorityRange)
LAMINA_NOT_EMULATED(cuCtxPopCurrent_v2)
LAMINA_NOT_EMULATED(cuCtxPushCurrent_v2)
LAMINA_NOT_EMULATED(cuCtxSetCacheConfig)
LAMINA_NOT_EMULATED(cuCtxSetLimit)
LAMINA_NOT_EMULATED(cuCtxSetSharedMemConfig)
LAMINA_NOT_EMULATED(cuDeviceCanAccessPeer)
LAMINA_NOT_EMULATED(cuDeviceGetByPCIBusId)
LAMINA_NOT_EMULATED(cuDeviceGetP2PAttribute)
LAMINA_NOT_EMULATED(cuDeviceGetPCIBusId)
LAMINA_NOT_EMULATED(cuDeviceGetProperties)
LAMINA_NOT_EMULATED(cuDeviceGetTexture1DLinearMaxWidth)
LAMINA_NOT_EMULATED(cuDeviceGetUuid)
LAMINA_NOT_EMULATED(cuDevicePrimaryCtxGetState)
LAMINA_NOT_EMULATED(cuDevicePrimaryCtxRelease_v2)
LAMINA_NOT_EMULATED(cuDevicePrimaryCtxReset_v2)
LAMINA_NOT_EMULATED(cuDevicePrimaryCtxRetain)
LAMINA_NOT_EMULATED(cuDevicePrimaryCtxSetFlags_v2)
LAMINA_NOT_EMULATED(cuEventRecordWithFlags)
LAMINA_NOT_EMULATED(cuFuncGetAttribute)
LAMINA_NOT_EMULATED(cuFuncGetModule)
LAMINA_NOT_EMULATED(cuFuncSetAttribute)
LAMINA_NOT_EMULATED(cuFuncSetBlockShape)
LAMINA_NOT_EMULATED(cuFuncSetCacheConfig)
LAMINA_NOT_EMULATED(cuFuncSetSharedMemConfig)
LAMINA_NOT_EMULATED(cuFuncSetSharedSize)
LAMINA_NOT_EMULATED(cuGLCtxCreate_v2)
LAMINA_NOT_EMULATED(cuGLGetDevices_v2)
LAMINA_NOT_EMULATED(cuGLInit)
LAMINA_NOT_EMULATED(cuGLMapBufferObjectAsync_v2)
LAMINA_NOT_EMULATED(cuGLMapBufferObject_v2)
LAMINA_NOT_EMULATED(cuGLRegisterBufferObject)
LAMINA_NOT_EMULATED(cuGLSetBufferObjectMapFlags)
LAMINA_NOT_EMULATED(cuGLUnmapBufferObject)
LAMINA_NOT_EMULATED(cuGLUnmapBufferObjectAsync)
LAMINA_NOT_EMULATED(cuGLUnregisterBufferObject)
LAMINA_NOT_EMULATED(cuGraphAddChildGraphNode)
LAMINA_NOT_EMULATED(cuGraphAddDependencies)
LAMINA_NOT_EMULATED(cuGraphAddEmptyNode)
LAMINA_NOT_EMULATED(cuGraphAddEventRecordNode)
LAMINA_NOT_EMULATED(cuGraphAddEventWaitNode)
LAMINA_NOT_EMULATED(cuGraphAddHostNode)
LAMINA_NOT_EMULATED(cuGraphAddKernelNode_v2)
LAMINA_NOT_EMULATED(cuGraphAddMemcpyNode)
LAMINA_NOT_EMULATED(cuGraphAddMemsetNode)
LAMINA_NOT_EMULATED(cuGraphChildGraphNodeGetGraph)
LAMINA_NOT_EMULATED(cuGraphClone)
LAMINA_NOT_EMULATED(cuGraphCreate)
LAMINA_NOT_EMULATED(cuGraphDestroyNode)
LAMINA_NOT_EMULATED(cuGraphEventRecordNodeGetEvent)
LAMINA_NOT_EMULATED(cuGraphEventRecordNodeSetEvent)
LAMINA_NOT_EMULATED(cuGraphEventWaitNodeGetEvent)
LAMINA_NOT_EMULATED(cuGraphEventWaitNodeSetEvent)
LAMINA_NOT_EMULATED(cuGraphExecChildGraphNodeSetParams)
LAMINA_NOT_EMULATED(cuGraphExecEventRecordNodeSetEvent)
LAMINA_NOT_EMULATED(cuGraphExecEventWaitNodeSetEvent)
LAMINA_NOT_EMULATED(cuGraphExecHostNodeSetParams)
LAMINA_NOT_EMULATED(cuGraphExecKernelNodeSetParams_v2)
LAMINA_NOT_EMULATED(cuGraphExecMemcpyNodeSetParams)
LAMINA_NOT_EMULATED(cuGraphExecMemsetNodeSetParams)
LAMINA_NOT_EMULATED(cuGraphGetEdges)
LAMINA_NOT_EMULATED(cuGraphGetNodes)
LAMINA_NOT_EMULATED(cuGraphGetRootNodes)
LAMINA_NOT_EMULATED(cuGraphHostNodeGetParams)
LAMINA_NOT_EMULATED(cuGraphHostNodeSetParams)
LAMINA_NOT_EMULATED(cuGraphKernelNodeCopyAttributes)
LAMINA_NOT_EMULATED(cuGraphKernelNodeGetAttribute)
LAMINA_NOT_EMULATED(cuGraphKernelNodeGetParams_v2)
LAMINA_NOT_EMULATED(cuGraphKernelNodeSetAttribute)
LAMINA_NOT_EMULATED(cuGraphKernelNodeSetParams_v2)
LAMINA_NOT_EMULATED(cuGraphMemcpyNodeGetParams)
LAMINA_NOT_EMULATED(cuGraphMemcpyNodeSetParams)
LAMINA_NOT_EMULATED(cuGraphMemsetNodeGetParams)
LAMINA_NOT_EMULATED(cuGraphNodeFindInClone)
LAMINA_NOT_EMULATED(cuGraphNodeGetDependencies)
LAMINA_NOT_EMULATED(cuGraphNodeGetDependentNodes)
LAMINA_NOT_EMULATED(cuGraphNodeGetType)
LAMINA_NOT_EMULATED(cuGraphRemoveDependencies)
LAMINA_NOT_EMULATED(cuGraphUpload)
LAMINA_NOT_EMULATED(cuGraphicsGLRegisterBuffer)
LAMINA_NOT_EMULATED(cuGraphicsGLRegisterImage)
LAMINA_NOT_EMULATED(cuGraphicsMapResources)
LAMINA_NOT_EMULATED(cuGraphicsResourceGetMappedMipmappedArray)
LAMINA_NOT_EMULATED(cuGraphicsResourceGetMappedPointer_v2)
LAMINA_NOT_EMULATED(cuGraphicsResourceSetMapFlags_v2)
LAMINA_NOT_EMULATED(cuGraphicsSubResourceGetMappedArray)
LAMINA_NOT_EMULATED(cuGraphicsUnmapResources)
LAMINA_NOT_EMULATED(cuGraphicsUnregisterResource)
LAMINA_NOT_EMULATED(cuIpcCloseMemHandle)
LAMINA_NOT_EMULATED(cuIpcGetEventHandle)
LAMINA_NOT_EMULATED(cuIpcGetMemHandle)
LAMINA_NOT_EMULATED(cuIpcOpenEventHandle)
LAMINA_NOT_EMULATED(cuIpcOpenMemHandle_v2)
LAMINA_NOT_EMULATED(cuLaunch)
LAMINA_NOT_EMULATED(cuLaunchCooperativeKernel)
LAMINA_NOT_EMULATED(cuLaunchCooperativeKernelMultiDevice)
LAMINA_NOT_EMULATED(cuLaunchGrid)
LAMINA_NOT_EMULATED(cuLaunchGridAsync)
LAMINA_NOT_EMULATED(cuLaunchHostFunc)
LAMINA_NOT_EMULATED(cuLinkAddData_v2)
LAMINA_NOT_EMULATED(cuLinkAddFile_v2)
LAMINA_NOT_EMULATED(cuLinkComplete)
LAMINA_NOT_EMULATED(cuLinkCreate_v2)
LAMINA_NOT_EMULATED(cuLinkDestroy)
LAMINA_NOT_EMULATED(cuMemAddressFree)
LAMINA_NOT_EMULATED(cuMemAddressReserve)
LAMINA_NOT_EMULATED(cuMemAdvise)
LAMINA_NOT_EMULATED(cuMemAllocAsync)
LAMINA_NOT_EMULATED(cuMemAllocFromPoolAsync)
LAMINA_NOT_EMULATED(cuMemAllocManaged)
LAMINA_NOT_EMULATED(cuMemAllocPitch_v2)
LAMINA_NOT_EMULATED(cuMemCreate)
LAMINA_NOT_EMULATED(cuMemExportToShareableHandle)
LAMINA_NOT_EMULATED(cuMemFreeAsync)
LAMINA_NOT_EMULATED(cuMemGetAccess)
LAMINA_NOT_EMULATED(cuMemGetAddressRange_v2)
LAMINA_NOT_EMULATED(cuMemGetAllocationGranularity)
LAMINA_NOT_EMULATED(cuMemGetAllocationPropertiesFromHandle)
LAMINA_NOT_EMULATED(cuMemHostAlloc)
LAMINA_NOT_EMULATED(cuMemHostGetDevicePointer_v2)
LAMINA_NOT_EMULATED(cuMemHostGetFlags)
LAMINA_NOT_EMULATED(cuMemHostRegister_v2)
LAMINA_NOT_EMULATED(cuMemHostUnregister)
LAMINA_NOT_EMULATED(cuMemImportFromShareableHandle)
LAMINA_NOT_EMULATED(cuMemMap)
LAMINA_NOT_EMULATED(cuMemPoolCreate)
LAMINA_NOT_EMULATED(cuMemPoolDestroy)
LAMINA_NOT_EMULATED(cuMemPoolTrimTo)
LAMINA_NOT_EMULATED(cuMemPrefetchAsync)
LAMINA_NOT_EMULATED(cuMemRangeGetAttribute)
LAMINA_NOT_EMULATED(cuMemRangeGetAttributes)
LAMINA_NOT_EMULATED(cuMemRelease)
LAMINA_NOT_EMULATED(cuMemRetainAllocationHandle)
LAMINA_NOT_EMULATED(cuMemSetAccess)
LAMINA_NOT_EMULATED(cuMemUnmap)
LAMINA_NOT_EMULATED(cuMemcpy)
LAMINA_NOT_EMULATED(cuMemcpy2DAsync_v2)
LAMINA_NOT_EMULATED(cuMemcpy2DUnaligned_v2)
LAMINA_NOT_EMULATED(cuMemcpy2D_v2)
LAMINA_NOT_EMULATED(cuMemcpy3DAsync_v2)
LAMINA_NOT_EMULATED(cuMemcpy3DPeer)
LAMINA_NOT_EMULATED(cuMemcpy3DPeerAsync)
LAMINA_NOT_EMULATED(cuMemcpy3D_v2)
LAMINA_NOT_EMULATED(cuMemcpyAsync)
LAMINA_NOT_EMULATED(cuMemcpyAtoA_v2)
LAMINA_NOT_EMULATED(cuMemcpyAtoD_v2)
LAMINA_NOT_EMULATED(cuMemcpyAtoHAsync_v2)
LAMINA_NOT_EMULATED(cuMemcpyAtoH_v2)
LAMINA_NOT_EMULATED(cuMemcpyDtoA_v2)
LAMINA_NOT_EMULATED(cuMemcpyHtoAAsync_v2)
LAMINA_NOT_EMULATED(cuMemcpyHtoA_v2)
LAMINA_NOT_EMULATED(cuMemcpyPeer)
LAMINA_NOT_EMULATED(cuMemcpyPeerAsync)
LAMINA_NOT_EMULATED(cuMemsetD16Async)
LAMINA_NOT_EMULATED(cuMemsetD16_v2)
LAMINA_NOT_EMULATED(cuMemsetD2D16Async)
LAMINA_NOT_EMULATED(cuMemsetD2D16_v2)
LAMINA_NOT_EMULATED(cuMemsetD2D32Async)
LAMINA_NOT_EMULATED(cuMemsetD2D32_v2)
LAMINA_NOT_EMULATED(cuMemsetD2D8Async)
LAMINA_NOT_EMULATED(cuMemsetD2D8_v2)
LAMINA_NOT_EMULATED(cuMemsetD8Async)
LAMINA_NOT_EMULATED(cuMemsetD8_v2)
LAMINA_NOT_EMULATED(cuMipmappedArrayCreate)
LAMINA_NOT_EMULATED(cuMipmappedArrayDestroy)
LAMINA_NOT_EMULATED(cuMipmappedArrayGetLevel)
LAMINA_NOT_EMULATED(cuMipmappedArrayGetMemoryRequirements)
LAMINA_NOT_EMULATED(cuMipmappedArrayGetSparseProperties)
LAMINA_NOT_EMULATED(cuModuleGetGlobal_v2)
LAMINA_NOT_EMULATED(cuModuleGetLoadingMode)
LAMINA_NOT_EMULATED(cuModuleGetSurfRef)
LAMINA_NOT_EMULATED(cuModuleGetTexRef)
LAMINA_NOT_EMULATED(cuModuleLoad)
LAMINA_NOT_EMULATED(cuModuleLoadFatBinary)
LAMINA_NOT_EMULATED(cuOccupancyAvailableDynamicSMemPerBlock)
LAMINA_NOT_EMULATED(cuOccupancyMaxActiveBlocksPerMultiprocessor)
LAMINA_NOT_EMULATED(cuOccupancyMaxActiveBlocksPerMultiprocessorWithFlags)
LAMINA_NOT_EMULATED(cuOccupancyMaxPotentialBlockSize)
LAMINA_NOT_EMULATED(cuOccupancyMaxPotentialBlockSizeWithFlags)
LAMINA_NOT_EMULATED(cuParamSetSize)
LAMINA_NOT_EMULATED(cuParamSetTexRef)
LAMINA_NOT_EMULATED(cuParamSetf)
LAMINA_NOT_EMULATED(cuParamSeti)
LAMINA_NOT_EMULATED(cuParamSetv)
LAMINA_NOT_EMULATED(cuPointerGetAttribute)
LAMINA_NOT_EMULATED(cuPointerGetAttributes)
LAMINA_NOT_EMULATED(cuPointerSetAttribute)
LAMINA_NOT_EMULATED(cuProfilerInitialize)
LAMINA_NOT_EMULATED(cuProfilerStart)
LAMINA_NOT_EMULATED(cuProfilerStop)
LAMINA_NOT_EMULATED(cuStreamAddCallback)
LAMINA_NOT_EMULATED(cuStreamAttachMemAsync)
LAMINA_NOT_EMULATED(cuStreamCopyAttributes)
LAMINA_NOT_EMULATED(cuStreamCreateWithPriority)
LAMINA_NOT_EMULATED(cuStreamGetAttribute)
LAMINA_NOT_EMULATED(cuStreamGetCtx)
LAMINA_NOT_EMULATED(cuStreamGetFlags)
LAMINA_NOT_EMULATED(cuStreamGetId)
LAMINA_NOT_EMULATED(cuStreamGetPriority)
LAMINA_NOT_EMULATED(cuStreamSetAttribute)
LAMINA_NOT_EMULATED(cuStreamWaitEvent)
LAMINA_NOT_EMULATED(cuStreamWaitValue32_v2)
LAMINA_NOT_EMULATED(cuStreamWaitValue64_v2)
LAMINA_NOT_EMULATED(cuStreamWriteValue32_v2)
LAMINA_NOT_EMULATED(cuStreamWriteValue64_v2)
LAMINA_NOT_EMULATED(cuSurfObjectCreate)
LAMINA_NOT_EMULATED(cuSurfObjectDestroy)
LAMINA_NOT_EMULATED(cuSurfObjectGetResourceDesc)
LAMINA_NOT_EMULATED(cuSurfRefGetArray)
LAMINA_NOT_EMULATED(cuSurfRefSetArray)
LAMINA_NOT_EMULATED(cuTexObjectCreate)
LAMINA_NOT_EMULATED(cuTexObjectDestroy)
LAMINA_NOT_EMULATED(cuTexObjectGetResourceDesc)
LAMINA_NOT_EMULATED(cuTexObjectGetResourceViewDesc)
LAMINA_NOT_EMULATED(cuTexObjectGetTextureDesc)
LAMINA_NOT_EMULATED(cuTexRefCreate)
LAMINA_NOT_EMULATED(cuTexRefDestroy)
LAMINA_NOT_EMULATED(cuTexRefGetAddressMode)
LAMINA_NOT_EMULATED(cuTexRefGetAddress_v2)
LAMINA_NOT_EMULATED(cuTexRefGetArray)
LAMINA_NOT_EMULATED(cuTexRefGetBorderColor)
LAMINA_NOT_EMULATED(cuTexRefGetFilterMode)
LAMINA_NOT_EMULATED(cuTexRefGetFlags)
LAMINA_NOT_EMULATED(cuTexRefGetFormat)
LAMINA_NOT_EMULATED(cuTexRefGetMaxAnisotropy)
LAMINA_NOT_EMULATED(cuTexRefGetMipmapFilterMode)
LAMINA_NOT_EMULATED(cuTexRefGetMipmapLevelBias)
LAMINA_NOT_EMULATED(cuTexRefGetMipmapLevelClamp)
LAMINA_NOT_EMULATED(cuTexRefGetMipmappedArray)
LAMINA_NOT_EMULATED(cuTexRefSetAddress2D_v3)
LAMINA_NOT_EMULATED(cuTexRefSetAddressMode)
LAMINA_NOT_EMULATED(cuTexRefSetAddress_v2)
LAMINA_NOT_EMULATED(cuTexRefSetArray)
LAMINA_NOT_EMULATED(cuTexRefSetBorderColor)
LAMINA_NOT_EMULATED(cuTexRefSetFilterMode)
LAMINA_NOT_EMULATED(cuTexRefSetFlags)
LAMINA_NOT_EMULATED(cuTexRefSetFormat)
LAMINA_NOT_EMULATED(cuTexRefSetMaxAnisotropy)
LAMINA_NOT_EMULATED(cuTexRefSetMipmapFilterMode)
LAMINA_NOT_EMULATED(cuTexRefSetMipmapLevelBias)
LAMINA_NOT_EMULATED(cuTexRefSetMipmapLevelClamp)
LAMINA_NOT_EMULATED(cuTexRefSetMipmappedArray)
LAMINA_NOT_EMULATED(cuThreadExchangeStreamCaptureMode)
// LAMINA_NOT_EMULATED list ends

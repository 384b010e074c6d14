"""CPU time of one Argon2id hash (what a sign-in costs the server) for each of the OWASP Password Storage
Cheat Sheet's equivalent settings, on this machine: the median and the lowest of ``--runs`` hashes,
process CPU time (``time.process_time``) and wall time, one thread.

    .venv/bin/python bench/argon2_options.py --runs 30
"""
import argparse
import statistics
import time

from argon2.low_level import Type, hash_secret

# (memory KiB, passes, lanes): OWASP's five equivalent options, the first being ipm/hashers.py's.
OPTIONS = [(47104, 1, 1), (19456, 2, 1), (12288, 3, 1), (9216, 4, 1), (7168, 5, 1)]


def measure(memory, passes, lanes, runs):
    cpu, wall = [], []
    for i in range(runs + 1):
        started_cpu, started = time.process_time(), time.perf_counter()
        hash_secret(b"mot de passe de test", f"sel-{i:012d}".encode(), time_cost=passes, memory_cost=memory,
                    parallelism=lanes, hash_len=32, type=Type.ID)
        if i:  # the first hash warms the allocator
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
    return cpu, wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    print("| m (KiB) | t | p | CPU median (ms) | CPU min (ms) | wall median (ms) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for memory, passes, lanes in OPTIONS:
        cpu, wall = measure(memory, passes, lanes, args.runs)
        print(f"| {memory} | {passes} | {lanes} | {statistics.median(cpu):.1f} | {min(cpu):.1f} | "
              f"{statistics.median(wall):.1f} |")


if __name__ == "__main__":
    main()

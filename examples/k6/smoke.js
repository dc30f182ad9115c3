// A k6 smoke script that needs no server: 2 virtual users for 5 s, each iteration doing a little work and a check.
// Point it at a service of yours by setting BASE_URL (workload env: in examples/k6.yaml, or k6 run -e BASE_URL=...):
// each iteration then also GETs BASE_URL and checks for a 200.
import http from 'k6/http';
import { check, sleep } from 'k6';

export const options = {
  vus: 2,
  duration: '5s',
  thresholds: {
    checks: ['rate>0.99'], // k6 exits 99 when fewer than 99 % of the checks pass
  },
};

export default function () {
  let sum = 0;
  for (let i = 0; i < 10000; i++) {
    sum += i;
  }
  check(sum, { 'sum is right': (s) => s === 49995000 });
  if (__ENV.BASE_URL) {
    const res = http.get(__ENV.BASE_URL);
    check(res, { 'status is 200': (r) => r.status === 200 });
  }
  sleep(0.1);
}

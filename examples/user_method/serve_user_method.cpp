// serve_user_method: `user_llt` as an outside implementation, speaking
// scorebench.external/1 (verification/adapters/PROTOCOL.md) on stdin and
// stdout, so that the installed `scorebench` gates and times it as it would
// any other program:
//
//   scorebench verify --quick --external ./serve_user_method
//   scorebench time --external ./serve_user_method --out user_time.json

#include "scorebench/verification/serve.hpp"
#include "user_llt.hpp"

int main() {
  const auto method = user::make_user_llt();
  return scorebench::verification::serve(*method);  // named by its hello: user_llt
}

// close(2): closing releases the descriptor; bad descriptors fail with EBADF.
// Not covered here: close on a descriptor another thread is blocked on.
#include "harness/test.hpp"

// close(2): a descriptor that was never opened is EBADF.
TEST(close, negative_fd_ebadf, NEGATIVE, PSE51) { EXPECT_ERR(sys::close(-1), EBADF); }

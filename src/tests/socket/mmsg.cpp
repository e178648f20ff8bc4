// SPDX-License-Identifier: MIT
// sendmmsg(2), recvmmsg(2): batches of datagrams sent and received in one
// call each, vlen 0, an empty socket with MSG_DONTWAIT, and recvmmsg's
// timeout checks. The flags of both calls, MSG_WAITFORONE among them, are
// in socket_flags.cpp.
// Not covered: a timeout that expires between datagrams (timing).
#include "tests/socket/net.hpp"

using namespace net;

// sendmmsg(2)/recvmmsg(2): a batch of datagrams is sent and received in one
// call each; msg_len holds each size, and recvmmsg with MSG_DONTWAIT returns
// what was queued, leaving the remaining entries untouched (Linux).
TEST(sendmmsg, batch_roundtrip, POSITIVE, LINUX) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds));
    iovec out[3] = {
        {const_cast<char*>("a"), 1}, {const_cast<char*>("bb"), 2}, {const_cast<char*>("ccc"), 3}};
    mmsghdr mm[4] = {};
    for (int i = 0; i < 3; ++i) mm[i].msg_hdr = make_msg(&out[i], 1);
    EXPECT_RET(sys::sendmmsg(fds[0], mm, 3, 0), 3);
    EXPECT_EQ(long(mm[0].msg_len), 1);
    EXPECT_EQ(long(mm[2].msg_len), 3);
    char buf[4][8] = {};
    iovec in[4];
    for (int i = 0; i < 4; ++i) {
        in[i] = {buf[i], 8};
        mm[i].msg_hdr = make_msg(&in[i], 1);
        mm[i].msg_len = 99;
    }
    EXPECT_RET(sys::recvmmsg(fds[1], mm, 4, MSG_DONTWAIT, nullptr), 3);
    EXPECT_EQ(long(mm[0].msg_len), 1);
    EXPECT_EQ(long(mm[1].msg_len), 2);
    EXPECT_EQ(long(mm[2].msg_len), 3);
    EXPECT_EQ(long(mm[3].msg_len), 99);
    EXPECT_MEM_EQ(buf[2], "ccc", 3);
    close2(fds);
}

// sendmmsg(2)/recvmmsg(2) with vlen 0 return 0; recvmmsg on an empty socket
// with MSG_DONTWAIT is EAGAIN (Linux).
TEST(recvmmsg, zero_vlen_and_empty_eagain, BOUNDARY, LINUX) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds));
    mmsghdr mm[1] = {};
    EXPECT_RET(sys::sendmmsg(fds[0], mm, 0, 0), 0);
    EXPECT_RET(sys::recvmmsg(fds[1], mm, 0, MSG_DONTWAIT, nullptr), 0);
    EXPECT_ERR(sys::recvmmsg(fds[1], mm, 1, MSG_DONTWAIT, nullptr), EAGAIN);
    EXPECT_ERR(sys::sendmmsg(fds[0], reinterpret_cast<mmsghdr*>(8), 1, 0), EFAULT);
    close2(fds);
}

// recvmmsg(2) with a timeout whose tv_nsec is out of range: EINVAL (Linux).
TEST(recvmmsg, bad_timeout_einval, NEGATIVE, LINUX) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds));
    EXPECT_RET(sys::send(fds[0], "t", 1, 0), 1);
    char b;
    iovec iov{&b, 1};
    mmsghdr mm[1] = {};
    mm[0].msg_hdr = make_msg(&iov, 1);
    // MSG_DONTWAIT: a kernel that takes the datagram anyway must not make
    // the later calls hang.
    timespec bad{0, -1};
    EXPECT_ERR(sys::recvmmsg(fds[1], mm, 1, MSG_DONTWAIT, &bad), EINVAL);
    bad = {0, 1000000000};
    EXPECT_ERR(sys::recvmmsg(fds[1], mm, 1, MSG_DONTWAIT, &bad), EINVAL);
    timespec ok{0, 1000000};
    EXPECT_RET(sys::recvmmsg(fds[1], mm, 1, MSG_DONTWAIT, &ok), 1);  // the datagram stayed queued
    close2(fds);
}

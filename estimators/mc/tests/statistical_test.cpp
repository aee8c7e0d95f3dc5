// placeholder until the statistical suite lands
#include <gtest/gtest.h>

# One Secrets Manager secret holds TaskFlow's connection URLs and bootstrap admin, generated
# here, never typed into a variables file. Only the External Secrets Operator's service account
# in the TaskFlow namespace may read it, through an IAM role it assumes with its own token.
resource "random_password" "admin" {
  length  = 24
  special = false
}

resource "aws_secretsmanager_secret" "app" {
  name                    = "${var.name}/app"
  description             = "TaskFlow connection URLs and bootstrap admin"
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "app" {
  secret_id = aws_secretsmanager_secret.app.id
  secret_string = jsonencode({
    postgres_url    = var.postgres_url
    redis_url       = var.redis_url
    bootstrap_admin = "${var.admin_email}:${random_password.admin.result}"
  })
}

data "aws_iam_policy_document" "reader_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.namespace}:${var.service_account}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "reader" {
  name               = "${var.name}-external-secrets"
  assume_role_policy = data.aws_iam_policy_document.reader_assume.json
}

data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_secretsmanager_secret.app.arn]
  }
}

resource "aws_iam_role_policy" "reader" {
  name   = "read-${var.name}-app-secret"
  role   = aws_iam_role.reader.id
  policy = data.aws_iam_policy_document.read.json
}
